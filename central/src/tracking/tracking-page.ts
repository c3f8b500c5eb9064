import crypto from 'node:crypto';
import type { TrackingView } from '@shared/console/tracking';
import { formatHallTime } from '@shared/format/hall-time';
import { TRACKING_PATH } from '@shared/console/tracking';
import { DECISION_WORDS, PICKUP_WORDS, caseStatusWords } from './status-words';

/**
 * The public tracking pages, rendered on the server: plain HTML and one stylesheet, no script. Every value
 * from the database goes through `esc`. The stylesheet is inline and allowed by its hash, not a nonce, so
 * the "not found" page is the same bytes whatever was asked (no oracle in the body either).
 */

/** Mobile first (375 px and up); colours keep at least 4.5:1 against their background. */
const CSS = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;font-size:1rem;line-height:1.6;color:#1a1a1a;background:#f3f5f7}
.bar{background:#0a4a8c;color:#fff;padding:.75rem 1rem}
.bar p{margin:0;font-weight:600;max-width:40rem;margin-inline:auto}
main{max-width:40rem;margin:0 auto;padding:1rem}
h1{font-size:1.375rem;line-height:1.35;margin:.25rem 0 .5rem}
h2{font-size:1.125rem;margin:0 0 .5rem}
h3{font-size:1rem;margin:.75rem 0 .25rem}
p{margin:.25rem 0 .5rem}
section,.card{background:#fff;border:1px solid #d5dbe1;border-radius:.5rem;padding:1rem;margin:0 0 1rem}
.lead{color:#3d4650}
.badge{display:inline-block;background:#e7f0fb;color:#0a4a8c;border-radius:1rem;padding:.125rem .75rem;font-weight:700}
.facts{margin:0}
.facts div{display:flex;flex-wrap:wrap;gap:0 1rem;padding:.375rem 0;border-bottom:1px solid #e6e9ed}
.facts div:last-child{border-bottom:0}
.facts dt{flex:0 0 6.5rem;color:#3d4650}
.facts dd{flex:1 1 10rem;margin:0;overflow-wrap:anywhere;font-weight:500}
.timeline{list-style:none;margin:0;padding:0 0 0 1rem;border-left:3px solid #c4ccd4}
.timeline li{position:relative;padding:0 0 .875rem .75rem}
.timeline li::before{content:"";position:absolute;left:-1.5rem;top:.4rem;width:.75rem;height:.75rem;border-radius:50%;background:#8a96a3;border:2px solid #fff}
.timeline li.now::before{background:#0a4a8c}
.timeline li:last-child{padding-bottom:0}
.timeline time{display:block;color:#3d4650;font-size:.875rem}
.timeline .what{font-weight:600}
.missing{margin:0;padding-left:1.25rem}
.missing li{margin:0 0 .5rem}
.note{display:block;color:#3d4650}
.decision{display:inline-block;font-size:1.25rem;font-weight:700;border-radius:.375rem;padding:.125rem .75rem}
.approved{background:#e8f5ec;color:#0f6b2f}
.denied{background:#fdecec;color:#9b1c1c}
form{display:grid;gap:.375rem}
label{font-weight:600;margin-top:.5rem}
input{font:inherit;font-size:1rem;min-height:2.75rem;padding:.5rem .75rem;border:1px solid #6b7680;border-radius:.375rem;width:100%}
button{font:inherit;font-weight:700;min-height:2.75rem;margin-top:1rem;border:0;border-radius:.375rem;background:#0a4a8c;color:#fff;cursor:pointer}
a{color:#0a4a8c}
:focus-visible{outline:3px solid #b35c00;outline-offset:2px}
.foot{max-width:40rem;margin:0 auto;padding:0 1rem 2rem;color:#3d4650;font-size:.875rem}
`;

/** The Content-Security-Policy of every tracking page: no script at all, the one stylesheet by its hash. */
export const TRACKING_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${crypto.createHash('sha256').update(CSS).digest('base64')}'`,
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Text for HTML content and quoted attribute values. */
export const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** A time of the case as its hall's clock showed it. */
const hallTime = (iso: string, timeZone: string) => formatHallTime(iso, timeZone, 'zh-CN', 'long');

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${esc(title)} · 办件查询</title>
<style>${CSS}</style>
</head>
<body>
<header class="bar"><p>政务服务 · 办件查询</p></header>
<main>
${body}
</main>
<footer class="foot"><p>本页不显示申请人的证件号码、联系电话等个人信息。查询码见受理回执，请妥善保管。</p></footer>
</body>
</html>
`;
}

function lookupForm(caseNumber: string): string {
  return `<form method="get" action="${TRACKING_PATH}">
<label for="case-number">办件编号</label>
<input id="case-number" name="caseNumber" value="${esc(caseNumber)}" required maxlength="40" autocomplete="off" spellcheck="false">
<label for="query-code">查询码</label>
<input id="query-code" name="code" required maxlength="20" autocomplete="off" autocapitalize="characters" spellcheck="false">
<button type="submit">查询</button>
</form>`;
}

/** The form to type a case number and its query code (`caseNumber` prefilled from a link without a code). */
export function trackingFormPage(caseNumber = ''): string {
  return page(
    '查询办件',
    `<h1>查询办件</h1>
<div class="card">
<p class="lead">请输入受理回执上的办件编号和查询码。</p>
${lookupForm(caseNumber)}
</div>`,
  );
}

/** One page for a wrong code, a malformed one and an unknown number alike. */
export const NOT_FOUND_PAGE = page(
  '未查到办件',
  `<h1>未查到办件</h1>
<div class="card">
<p class="lead">办件编号或查询码不正确。请核对受理回执上的办件编号和查询码后重新查询。</p>
${lookupForm('')}
</div>`,
);

export const TOO_MANY_PAGE = page(
  '查询过于频繁',
  `<h1>查询过于频繁</h1>
<div class="card"><p class="lead">请稍后再试。</p></div>`,
);

export const UNAVAILABLE_PAGE = page(
  '暂时无法查询',
  `<h1>暂时无法查询</h1>
<div class="card"><p class="lead">系统暂时无法查询，请稍后再试，或到受理大厅咨询。</p></div>`,
);

const fact = (term: string, value: string) => `<div><dt>${term}</dt><dd>${value}</dd></div>`;

function factsSection(v: TrackingView): string {
  const rows = [
    fact('办件编号', esc(v.caseNumber)),
    v.applicantMasked ? fact('申请人', esc(v.applicantMasked)) : '',
    fact('受理大厅', esc(v.hallName)),
    fact('承办部门', esc(v.departmentName) || '—'),
    fact(
      '受理时间',
      v.acceptedAt
        ? `<time datetime="${esc(v.acceptedAt)}">${esc(hallTime(v.acceptedAt, v.hallTimeZone))}</time>`
        : '—',
    ),
    fact('承诺办结日', v.promisedDate ? `<time datetime="${esc(v.promisedDate)}">${esc(v.promisedDate)}</time>` : '—'),
    v.enquiryPhone ? fact('咨询电话', `<a href="tel:${esc(v.enquiryPhone)}">${esc(v.enquiryPhone)}</a>`) : '',
  ];
  return `<section aria-labelledby="facts-title">
<h2 id="facts-title">办件信息</h2>
<dl class="facts">
${rows.filter(Boolean).join('\n')}
</dl>
</section>`;
}

function missingSection(v: TrackingView): string {
  if (v.missing.length === 0) return '';
  const items = v.missing.map(
    (m) => `<li><strong>${esc(m.name)}</strong>${m.note ? `<span class="note">${esc(m.note)}</span>` : ''}</li>`,
  );
  return `<section aria-labelledby="missing-title">
<h2 id="missing-title">需补正的材料</h2>
<p>请携带以下材料到受理大厅窗口补正；补正期间不计入办理时限。</p>
<ul class="missing">
${items.join('\n')}
</ul>
</section>`;
}

function decisionSection(v: TrackingView): string {
  if (!v.decision) return '';
  const { outcome, appealRoute } = v.decision;
  const denied =
    outcome === 'denied'
      ? `<p>不予的理由见书面决定，也可到受理大厅咨询。</p>
${appealRoute ? `<h3>救济途径</h3>\n<p>${esc(appealRoute)}</p>` : ''}`
      : '';
  return `<section aria-labelledby="decision-title">
<h2 id="decision-title">办理结果</h2>
<p class="decision ${outcome}">${DECISION_WORDS[outcome]}</p>
${denied}
</section>`;
}

function pickupSection(v: TrackingView): string {
  if (!v.pickup) return '';
  const { method, carrier, trackingNumber } = v.pickup;
  const body =
    method === 'counter'
      ? `<p>请凭受理回执到${esc(v.hallName)}窗口领取办理结果。</p>`
      : `<dl class="facts">
${carrier ? fact('快递公司', esc(carrier)) : ''}
${fact('运单号', esc(trackingNumber) || '—')}
</dl>`;
  return `<section aria-labelledby="pickup-title">
<h2 id="pickup-title">领取方式：${PICKUP_WORDS[method]}</h2>
${body}
</section>`;
}

function timelineSection(v: TrackingView): string {
  const last = v.timeline.length - 1;
  const steps = v.timeline.map(
    (e, i) =>
      `<li${i === last ? ' class="now" aria-current="step"' : ''}><time datetime="${esc(e.at)}">${esc(hallTime(e.at, v.hallTimeZone))}</time><span class="what">${caseStatusWords(e.status, null)}</span></li>`,
  );
  return `<section aria-labelledby="timeline-title">
<h2 id="timeline-title">办理进度</h2>
${steps.length > 0 ? `<ol class="timeline">\n${steps.join('\n')}\n</ol>` : '<p>暂无办理记录。</p>'}
</section>`;
}

/** The case as the public may see it. */
export function trackingResultPage(v: TrackingView): string {
  return page(
    '办件进度',
    `<h1>${esc(v.matterName)}</h1>
<p>当前状态：<strong class="badge">${caseStatusWords(v.status, v.decision?.outcome ?? null)}</strong></p>
${factsSection(v)}
${missingSection(v)}
${decisionSection(v)}
${pickupSection(v)}
${timelineSection(v)}
<p><a href="${TRACKING_PATH}">查询其他办件</a></p>`,
  );
}

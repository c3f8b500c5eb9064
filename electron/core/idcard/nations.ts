/** GB/T 3304 codes of China's ethnic groups, as a card's chip stores them (01–56 in this order, 97, 98). */
const NATIONS = (
  '汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 ' +
  '景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 ' +
  '裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺'
).split(' ');
const OTHERS: Record<string, string> = { '97': '其他', '98': '外国血统中国籍人士' };

/** The printed name for a code ('01' → 汉); a name (汉, 汉族) stays as given, without 族. Null: unknown code. */
export function nationName(value: string): string | null {
  const v = value.trim();
  if (/^\d{1,2}$/.test(v)) {
    const n = Number(v);
    return (n >= 1 ? NATIONS[n - 1] : undefined) ?? OTHERS[v.padStart(2, '0')] ?? null;
  }
  return v.replace(/族$/, '') || null;
}

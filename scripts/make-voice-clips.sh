#!/usr/bin/env bash
# Regenerates the hall display's offline voice clips (renderer/public/voice/*.wav), byte for byte.
#
# The display speaks calls by playing these clips back to back (renderer/src/voice/announcer.ts), so a
# hall needs no cloud speech service and no network. Clip names are the ones announcementClips() in
# shared/queue/announcement.ts returns; tests/unit/announcement.test.ts checks that each one exists.
#
# Needs espeak-ng and sox (Debian: apt-get install -y espeak-ng sox). Output: mono, 16 kHz, 16-bit PCM,
# silence trimmed at both ends so the announcer controls the gaps between words.
#
# Voices: Chinese words use espeak-ng's Mandarin voice in its pinyin variant (cmn-latn-pinyin). The plain
# `cmn` voice of espeak-ng 1.51 (Debian 12) looks characters up as tone-numbered pinyin and then reads that
# pinyin as English ("请" comes out as "king three"); the pinyin variant reads the same dictionary entry as
# Mandarin. Letters use plain `cmn`, which names latin letters the way Chinese halls say them (A = "ei").
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$here/renderer/public/voice}"
for tool in espeak-ng sox; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y espeak-ng sox)" >&2; exit 1; }
done
mkdir -p "$out"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Slower than espeak's default 175 wpm: a hall is large and echoes, and many listeners are elderly.
SPEED=140
# -D: no dither, so runs are byte-identical; -V1: only errors.
SOX=(sox -D -V1)

# speak NAME VOICE TEXT: one clip, normalised to -1 dBFS and trimmed of leading/trailing silence.
speak() {
  local name="$1" voice="$2" text="$3"
  espeak-ng -v "$voice" -s "$SPEED" -w "$tmp/$name.raw.wav" -- "$text"
  "${SOX[@]}" "$tmp/$name.raw.wav" -r 16000 -c 1 -b 16 -e signed-integer "$out/$name.wav" \
    silence 1 0.01 0.5% reverse silence 1 0.01 0.5% reverse gain -n -1
}

speak qing cmn-latn-pinyin '请'
digits=(零 一 二 三 四 五 六 七 八 九)
for i in "${!digits[@]}"; do speak "d$i" cmn-latn-pinyin "${digits[$i]}"; done
speak d10 cmn-latn-pinyin '十'
for letter in {A..Z}; do speak "l$letter" cmn "$letter"; done
speak hao-dao cmn-latn-pinyin '号到'
speak hao-chuangkou-banli cmn-latn-pinyin '号窗口办理'

# The chime: a soft two-tone "ding-dong" (E5 then C5) with an octave overtone and a bell-like decay, ~0.8 s.
tone() {
  local name="$1" freq="$2" overtone="$3"
  "${SOX[@]}" -n -r 16000 -c 1 -b 16 -e signed-integer "$tmp/$name.wav" \
    synth 0.4 sine "$freq" synth 0.4 sine mix "$overtone" fade l 0.005 0.4 0.36 gain -n -6
}
tone ding 659.25 1318.5
tone dong 523.25 1046.5
"${SOX[@]}" "$tmp/ding.wav" "$tmp/dong.wav" -r 16000 -c 1 -b 16 -e signed-integer "$out/chime.wav"

ls -l "$out"/*.wav | awk '{ total += $5 } END { printf "%d clips, %d bytes\n", NR, total }'

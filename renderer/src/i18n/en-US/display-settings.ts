import type zh from '../zh-CN/display-settings';

/** The admin page's hall-screen settings (en-US); the type keeps the keys equal to zh-CN's. */
const en: typeof zh = {
  title: 'Hall screens',
  layout: 'Layout',
  layouts: { auto: 'Automatic', single: 'One large call', grid: 'Grid of counters' },
  layoutHint:
    'Automatic: a grid of every counter once {n} or more are open, otherwise the latest call in large type. One screen can keep a layout with ?layout=grid or ?layout=single after its address.',
  voice: 'Announcement voice',
  voices: { system: 'System Chinese voice (recorded clips where there is none)', clips: 'Recorded clips only' },
  voiceName: 'System voice',
  firstVoice: 'Automatic: the screen’s first Chinese voice',
  notHere: '{voice} (not on this PC)',
  noVoiceHere:
    'This PC has no Chinese system voice; a screen that has one uses it, others use the recorded clips. Chinese editions of Windows have Chinese voices.',
  rate: 'Speaking rate ({rate})',
  preview: 'Listen',
  heardVoice: 'The sample was spoken by {voice}',
  heardClips: 'The sample was spoken by the recorded clips',
  save: 'Save',
  saved: 'Hall screen settings saved; every screen uses them at once',
};
export default en;

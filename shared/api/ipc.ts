/** IPC channel names; the preloads and the main process agree on these. */
export const IPC = { call: 'onewindow:call', event: 'onewindow:event', print: 'onewindow:print' } as const;

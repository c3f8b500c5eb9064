/** Priority classes a citizen may declare at the kiosk (elderly, disabled, military, pregnant). */
export const PRIORITY_CLASSES = ['none', 'elderly', 'disabled', 'military', 'pregnant'] as const;
export type PriorityClass = (typeof PRIORITY_CLASSES)[number];

export const APPLICANT_TYPES = ['person', 'organisation'] as const;
export type ApplicantType = (typeof APPLICANT_TYPES)[number];

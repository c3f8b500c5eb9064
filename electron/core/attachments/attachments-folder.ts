/** The folder of page files inside the device's data folder. */
export const ATTACHMENTS_FOLDER = 'attachments';

/**
 * Saves bytes as a file through an object-URL link: the browser's own download, with no file-system access
 * (as the hall app's renderer/src/export/download.ts).
 */
export function download(name: string, type: string, data: BlobPart): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

// Saving a text the server made (an export, a drill report) as a file the browser downloads.
import type { ExportFormat } from '@sitrep/shared';

const TYPES: Record<ExportFormat, string> = {
  md: 'text/markdown',
  json: 'application/json',
  html: 'text/html',
};

export function saveAs(body: string, format: ExportFormat, filename: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([body], { type: TYPES[format] }));
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1_000);
}

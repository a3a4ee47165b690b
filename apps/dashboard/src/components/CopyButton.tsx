import { useState } from 'react';

async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  // Plain-http origins other than localhost have no clipboard API: fall back to a hidden textarea.
  const area = document.createElement('textarea');
  area.value = text;
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  document.execCommand('copy');
  area.remove();
}

export function CopyButton({ text, testId = 'copy' }: { text: string; testId?: string }) {
  const [copied, setCopied] = useState(false);
  const onClick = () => {
    copyText(text).then(
      () => {
        setCopied(true);
        window.setTimeout(() => setCopied(false), 1500);
      },
      () => setCopied(false),
    );
  };
  return (
    <button type="button" className="btn btn-small" onClick={onClick} data-testid={testId}>
      {copied ? 'Copied ✓' : 'Copy'}
    </button>
  );
}

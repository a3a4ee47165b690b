import { useState, type ReactNode } from 'react';

interface Props {
  label: string;
  confirmLabel: string;
  question: ReactNode;
  onConfirm: () => void;
  danger?: boolean;
  disabled?: boolean;
  testId: string;
}

/** A button that asks once, inline (no browser dialog), before doing something that cannot be undone. */
export function ConfirmButton({ label, confirmLabel, question, onConfirm, danger, disabled, testId }: Props) {
  const [asking, setAsking] = useState(false);
  const cls = danger ? 'btn btn-danger' : 'btn';
  if (!asking) {
    return (
      <button
        type="button"
        className={cls}
        disabled={disabled}
        onClick={() => setAsking(true)}
        data-testid={testId}
      >
        {label}
      </button>
    );
  }
  return (
    <span className="confirm" data-testid={`${testId}-confirm-box`}>
      <span>{question}</span>
      <button
        type="button"
        className={cls}
        data-testid={`${testId}-confirm`}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </button>
      <button
        type="button"
        className="btn btn-ghost"
        onClick={() => setAsking(false)}
        data-testid={`${testId}-cancel`}
      >
        Cancel
      </button>
    </span>
  );
}

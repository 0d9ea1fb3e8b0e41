import { useId, type ReactNode } from 'react';
import type { Gate } from '../run/run-gates.ts';

/**
 * A button that says why it cannot work. It stays focusable (aria-disabled, not disabled) so the reason shows on
 * hover and on keyboard focus, and is read as its description.
 */
export function GatedButton(props: { gate: Gate; onClick(): void; children: ReactNode; className?: string; testId?: string }) {
  const id = useId();
  const { gate } = props;
  return (
    <span className="gated">
      <button
        type="button"
        className={props.className}
        aria-disabled={gate.ok ? undefined : 'true'}
        aria-describedby={gate.ok ? undefined : id}
        data-reason={gate.ok ? undefined : gate.reason}
        data-testid={props.testId}
        onClick={() => gate.ok && props.onClick()}
      >
        {props.children}
      </button>
      {!gate.ok && <span role="tooltip" id={id} className="gate-reason">{gate.reason}</span>}
    </span>
  );
}

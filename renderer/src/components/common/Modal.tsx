import * as Dialog from '@radix-ui/react-dialog';
import { useEffect, useRef, type ReactNode } from 'react';

/**
 * Where focus goes when a dialog closes: back to what opened it, or — when that is gone or disabled now (an Upgrade
 * button after the upgrade) — to the main region, never to <body> where a screen reader loses its place.
 */
function useRestoreFocus(): void {
  const opener = useRef<Element | null>(typeof document === 'undefined' ? null : document.activeElement);
  useEffect(() => () => {
    const el = opener.current as HTMLElement | null;
    // After React has removed the dialog, so Radix's own focus handling is done.
    queueMicrotask(() => {
      const usable = el && el !== document.body && el.isConnected && !(el as HTMLButtonElement).disabled;
      (usable ? el : document.getElementById('main'))?.focus();
    });
  }, []);
}

/**
 * An accessible modal dialog (Radix): focus trapped, Escape closes, title and description announced, focus restored.
 * `footer` stays in view below a scrolling body, so a confirm button never sits thousands of pixels down.
 */
export function Modal(props: {
  open: boolean; onClose(): void; title: string; description?: ReactNode; wide?: boolean; children: ReactNode; footer?: ReactNode; testId?: string;
}) {
  useRestoreFocus();
  return (
    <Dialog.Root open={props.open} onOpenChange={(open) => (!open ? props.onClose() : undefined)}>
      <Dialog.Portal>
        <Dialog.Overlay className="modal-overlay" />
        <Dialog.Content className={`modal ${props.wide ? 'modal-wide' : ''}`} data-testid={props.testId} onCloseAutoFocus={(e) => e.preventDefault()}>
          <div className="modal-head">
            <Dialog.Title className="modal-title">{props.title}</Dialog.Title>
            {props.description ? <Dialog.Description className="modal-description">{props.description}</Dialog.Description> : <Dialog.Description className="sr-only">{props.title}</Dialog.Description>}
          </div>
          <div className="modal-body">{props.children}</div>
          {props.footer && <div className="modal-footer">{props.footer}</div>}
          <Dialog.Close className="modal-close" aria-label="Close">×</Dialog.Close>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

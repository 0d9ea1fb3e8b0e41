import * as Dialog from '@radix-ui/react-dialog';
import type { ReactNode } from 'react';

/** An accessible modal dialog (Radix): focus trapped, Escape closes, title and description announced. */
export function Modal(props: { open: boolean; onClose(): void; title: string; description?: string; wide?: boolean; children: ReactNode; testId?: string }) {
  return (
    <Dialog.Root open={props.open} onOpenChange={(open) => (!open ? props.onClose() : undefined)}>
      <Dialog.Portal>
        <Dialog.Overlay className="modal-overlay" />
        <Dialog.Content className={`modal ${props.wide ? 'modal-wide' : ''}`} data-testid={props.testId} aria-describedby={props.description ? undefined : undefined}>
          <Dialog.Title className="modal-title">{props.title}</Dialog.Title>
          {props.description ? <Dialog.Description className="modal-description">{props.description}</Dialog.Description> : <Dialog.Description className="sr-only">{props.title}</Dialog.Description>}
          {props.children}
          <Dialog.Close className="modal-close" aria-label="Close">×</Dialog.Close>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

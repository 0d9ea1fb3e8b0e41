import { useApp } from '../../store/index.ts';
import { Modal } from '../common/Modal.tsx';

export const SHORTCUTS: [string, string][] = [
  ['?', 'this help'],
  ['/', 'search migrations'],
  ['↑ ↓ Home End', 'move through the revision graph'],
  ['1 … 9', 'select an environment'],
  ['u', 'upgrade the selected environment to head'],
  ['b', 'roll the selected environment back one step'],
  ['p', 'preview the pending SQL'],
  ['n', 'new migration'],
  ['r', 'refresh status'],
  ['g m · g t · g a', 'go to migrations, tables, audit log'],
];

export function HelpDialog() {
  const { openDialog } = useApp();
  return (
    <Modal open onClose={() => openDialog(null)} title="Keyboard shortcuts">
      <dl className="shortcuts">
        {SHORTCUTS.map(([keys, what]) => (
          <div key={keys}><dt><kbd>{keys}</kbd></dt><dd>{what}</dd></div>
        ))}
      </dl>
    </Modal>
  );
}

import { useId, useRef, type KeyboardEvent } from 'react';
import { Modal } from '../../ui/Modal';
import { EMOJI_CHOICES } from './emoji-choices';

const COLUMNS = 8;

export interface EmojiPickerProps {
  current: string | null;
  onPick: (emoji: string) => void;
  onClose: () => void;
}

/** A dialog with a grid of reactions; arrow keys move through it, Enter picks. */
export function EmojiPicker({ current, onPick, onClose }: EmojiPickerProps) {
  const titleId = useId();
  const gridRef = useRef<HTMLDivElement>(null);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const buttons = Array.from(gridRef.current?.querySelectorAll('button') ?? []);
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (index < 0) return;
    const step: Record<string, number> = {
      ArrowRight: 1,
      ArrowLeft: -1,
      ArrowDown: COLUMNS,
      ArrowUp: -COLUMNS,
    };
    const move = step[event.key];
    if (move === undefined) return;
    event.preventDefault();
    buttons[Math.min(buttons.length - 1, Math.max(0, index + move))]?.focus();
  }

  return (
    <Modal labelledBy={titleId} onClose={onClose} className="emoji-picker" testId="emoji-picker">
      <h2 id={titleId} className="modal-title">
        Choose a reaction
      </h2>
      <div className="emoji-grid" ref={gridRef} onKeyDown={onKeyDown}>
        {EMOJI_CHOICES.map(({ emoji, name }) => (
          <button
            key={emoji}
            type="button"
            className={emoji === current ? 'emoji-choice selected' : 'emoji-choice'}
            aria-label={name}
            aria-pressed={emoji === current}
            title={name}
            onClick={() => {
              onPick(emoji);
              onClose();
            }}
          >
            {emoji}
          </button>
        ))}
      </div>
      <div className="modal-actions">
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </Modal>
  );
}

import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { Lightbox } from './Lightbox';

function Harness() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Open photo
      </button>
      <button type="button">Elsewhere</button>
      {open && (
        <Lightbox
          src="blob:test/full"
          alt="Photo from bob"
          width={800}
          height={600}
          onClose={() => setOpen(false)}
        />
      )}
    </>
  );
}

describe('Lightbox', () => {
  it('is a modal dialog that traps focus, closes on Escape and returns focus', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    const opener = screen.getByRole('button', { name: 'Open photo' });
    await user.click(opener);

    const dialog = screen.getByRole('dialog', { name: 'Photo from bob' });
    expect(dialog).toHaveAttribute('aria-modal', 'true');
    expect(screen.getByRole('img', { name: 'Photo from bob' })).toHaveAttribute(
      'src',
      'blob:test/full',
    );
    const close = screen.getByRole('button', { name: 'Close' });
    expect(close).toHaveFocus();

    // Only one focusable element inside: Tab and Shift+Tab stay on it.
    await user.tab();
    expect(close).toHaveFocus();
    await user.tab({ shift: true });
    expect(close).toHaveFocus();

    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(opener).toHaveFocus();
  });

  it('closes with the Close button too', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    await user.click(screen.getByRole('button', { name: 'Open photo' }));
    await user.click(screen.getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});

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

    // Close is the last control: Tab wraps to the first one inside, Shift+Tab comes back.
    await user.tab();
    expect(screen.getByRole('button', { name: 'Zoom: Fit. Fit to window' })).toHaveFocus();
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

  it('zooms in steps up to 4×, back to fit, and offers the image for download', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    await user.click(screen.getByRole('button', { name: 'Open photo' }));
    const image = screen.getByRole('img', { name: 'Photo from bob' });
    expect(image).toHaveAttribute('data-zoom', 'fit');
    expect(screen.getByRole('button', { name: 'Zoom out' })).toBeDisabled();

    await user.click(screen.getByRole('button', { name: 'Zoom in' }));
    expect(image).toHaveAttribute('data-zoom', '1');
    expect(image.style.width).toBe('800px');
    await user.click(screen.getByRole('button', { name: 'Zoom in' }));
    expect(image.style.width).toBe('1200px');
    for (let i = 0; i < 5; i++) await user.click(screen.getByRole('button', { name: 'Zoom in' }));
    expect(image).toHaveAttribute('data-zoom', '4');
    expect(screen.getByRole('button', { name: 'Zoom in' })).toBeDisabled();

    await user.click(screen.getByRole('button', { name: /Fit to window/ }));
    expect(image).toHaveAttribute('data-zoom', 'fit');
    expect(image.style.width).toBe('');

    const download = screen.getByRole('link', { name: 'Download' });
    expect(download).toHaveAttribute('href', 'blob:test/full');
    expect(download).toHaveAttribute('download', 'natter-photo');
  });
});

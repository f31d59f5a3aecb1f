import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { routes } from '../../app/router';
import { jsonResponse, renderApp } from '../../test-utils/harness';

describe('Delete account', () => {
  it('a wrong password closes the dialog and leaves the field usable, with the error on it', async () => {
    const user = userEvent.setup({ delay: null });
    const deletes: string[] = [];
    renderApp({
      routes,
      initialPath: '/settings',
      fetch: (url, init) => {
        if (url === '/api/me' && init.method === 'DELETE') {
          deletes.push(String(init.body));
          return jsonResponse(401, {
            statusCode: 401,
            error: 'Unauthorized',
            message: 'Invalid credentials',
            code: 'INVALID_CREDENTIALS',
          });
        }
        if (url === '/api/sessions') return jsonResponse(200, { sessions: [] });
        if (url === '/api/blocks') return jsonResponse(200, { blocks: [] });
        return jsonResponse(404, { statusCode: 404, error: 'Not Found', message: 'nope' });
      },
    });
    const field = await screen.findByTestId('delete-password-input');
    await user.type(field, 'not my password');
    await user.click(screen.getByTestId('delete-account-button'));
    await user.click(await screen.findByTestId('confirm-dialog-confirm'));

    await waitFor(() => expect(screen.queryByTestId('confirm-dialog')).toBeNull());
    expect(deletes).toHaveLength(1);
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByRole('alert')).toHaveTextContent('Wrong password');
    await waitFor(() => expect(field).toHaveFocus());
    // The field can be corrected right away; typing clears the error.
    await user.clear(field);
    await user.type(field, 'my real password');
    expect(field).toHaveValue('my real password');
    expect(field).not.toHaveAttribute('aria-invalid');
  }, 30_000);
});

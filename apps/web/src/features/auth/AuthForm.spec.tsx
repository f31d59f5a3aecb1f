import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { routes } from '../../app/router';
import { jsonResponse, renderApp } from '../../test-utils/harness';

describe('login and signup forms', () => {
  it('marks invalid fields and ties each error to its field', async () => {
    const user = userEvent.setup();
    renderApp({ routes, initialPath: '/login', user: null });

    await user.click(await screen.findByRole('button', { name: 'Sign in' }));

    const username = screen.getByLabelText('Username');
    expect(username).toHaveAttribute('aria-invalid', 'true');
    expect(username).toHaveAccessibleDescription('Enter your username');
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription('Enter your password');
    expect(username).toHaveFocus();
  });

  it('announces a refused login in the live error region', async () => {
    const user = userEvent.setup();
    const { fetchMock } = renderApp({
      routes,
      initialPath: '/login',
      user: null,
      fetch: (url) =>
        url === '/api/login'
          ? jsonResponse(401, {
              statusCode: 401,
              error: 'Unauthorized',
              message: 'Invalid credentials',
              code: 'INVALID_CREDENTIALS',
            })
          : jsonResponse(404, {}),
    });

    await user.type(await screen.findByLabelText('Username'), 'alice');
    await user.type(screen.getByLabelText('Password'), 'wrong-password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    const alert = await screen.findByRole('alert');
    await waitFor(() => expect(alert).toHaveTextContent('Wrong username or password'));
    expect(alert).toHaveAttribute('aria-live', 'assertive');
    // A wrong password is not a token problem: no refresh attempt.
    expect(fetchMock.mock.calls.map(([url]) => String(url))).toEqual(['/api/login']);
  });

  it('asks for a code after a right password when two-factor sign-in is on, and can switch to a recovery code', async () => {
    const user = userEvent.setup();
    const bodies: unknown[] = [];
    const { fetchMock } = renderApp({
      routes,
      initialPath: '/login',
      user: null,
      fetch: (url, init) => {
        if (url === '/api/login')
          return jsonResponse(200, { twoFactorRequired: true, challenge: 'c'.repeat(43) });
        if (url === '/api/login/2fa') {
          bodies.push(JSON.parse(String(init?.body)));
          return bodies.length === 1
            ? jsonResponse(401, {
                statusCode: 401,
                error: 'Unauthorized',
                message: 'Wrong code',
                code: 'INVALID_TWO_FACTOR_CODE',
              })
            : jsonResponse(401, {
                statusCode: 401,
                error: 'Unauthorized',
                message: 'expired',
                code: 'CHALLENGE_EXPIRED',
              });
        }
        return jsonResponse(404, {});
      },
    });

    await user.type(await screen.findByLabelText('Username'), 'alice');
    await user.type(screen.getByLabelText('Password'), 'right password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    const codeInput = await screen.findByLabelText('Authentication code');
    expect(codeInput).toHaveFocus();
    await user.type(codeInput, '123 456');
    await user.click(screen.getByRole('button', { name: 'Verify and sign in' }));
    await waitFor(() =>
      expect(screen.getByLabelText('Authentication code')).toHaveAccessibleDescription(/not right/),
    );
    expect(bodies[0]).toEqual({ challenge: 'c'.repeat(43), code: '123456' });

    await user.click(screen.getByRole('button', { name: 'Use a recovery code instead' }));
    await user.type(screen.getByLabelText('Recovery code'), 'abcde-fghij');
    await user.click(screen.getByRole('button', { name: 'Verify and sign in' }));
    expect(await screen.findByTestId('session-notice')).toHaveTextContent(/start again/);
    expect(bodies[1]).toEqual({ challenge: 'c'.repeat(43), recoveryCode: 'abcde-fghij' });
    // Back on the password step, the password is not kept.
    expect(screen.getByLabelText('Password')).toHaveValue('');
    expect(fetchMock.mock.calls.map(([url]) => String(url))).not.toContain('/api/refresh');
  });

  it('validates signup like the contract: pattern, byte length, not the username', async () => {
    const user = userEvent.setup();
    const { fetchMock } = renderApp({ routes, initialPath: '/signup', user: null });

    await user.type(await screen.findByLabelText('Username'), 'bad name');
    await user.type(screen.getByLabelText('Password'), 'short');
    await user.click(screen.getByRole('button', { name: 'Sign up' }));

    expect(screen.getByTestId('username-error')).toHaveTextContent(
      'Username may contain only letters, digits, _ . and -',
    );
    expect(screen.getByTestId('password-error')).toHaveTextContent(
      'Password must be at least 8 characters',
    );

    await user.clear(screen.getByLabelText('Username'));
    await user.type(screen.getByLabelText('Username'), 'alice_smith');
    await user.clear(screen.getByLabelText('Password'));
    await user.type(screen.getByLabelText('Password'), 'ALICE_SMITH');
    expect(screen.queryByTestId('username-error')).toBeNull();
    expect(screen.getByTestId('password-error')).toHaveTextContent(
      'Password must not be the same as your username',
    );
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('shows a taken username on the username field', async () => {
    const user = userEvent.setup();
    renderApp({
      routes,
      initialPath: '/signup',
      user: null,
      fetch: () =>
        jsonResponse(409, {
          statusCode: 409,
          error: 'Conflict',
          message: 'taken',
          code: 'USERNAME_TAKEN',
        }),
    });
    await user.type(await screen.findByLabelText('Username'), 'alice');
    await user.type(screen.getByLabelText('Password'), 'a good password');
    await user.click(screen.getByRole('button', { name: 'Sign up' }));
    expect(await screen.findByTestId('username-error')).toHaveTextContent('That username is taken');
    expect(screen.getByLabelText('Username')).toHaveAttribute('aria-invalid', 'true');
  });

  it('signs up, keeps the token in memory only and opens the chat', async () => {
    const user = userEvent.setup();
    const setItem = jest.spyOn(Storage.prototype, 'setItem');
    const { api, router } = renderApp({
      routes,
      initialPath: '/signup',
      user: null,
      fetch: (url) => {
        if (url === '/api/signup') {
          return jsonResponse(201, {
            user: { id: 'u1', username: 'carol', createdAt: 'x' },
            accessToken: 'jwt-1',
          });
        }
        if (url === '/api/contacts') return jsonResponse(200, { contacts: [] });
        if (url.startsWith('/api/friend-requests')) return jsonResponse(200, { requests: [] });
        return jsonResponse(404, {});
      },
    });
    await user.type(await screen.findByLabelText('Username'), 'carol');
    await user.type(screen.getByLabelText('Password'), 'a good password');
    await user.click(screen.getByRole('button', { name: 'Sign up' }));

    await waitFor(() => expect(router.state.location.pathname).toBe('/chat'));
    expect(await screen.findByTestId('current-username')).toHaveTextContent('carol');
    expect(api.getAccessToken()).toBe('jwt-1');
    expect(setItem).not.toHaveBeenCalledWith(expect.anything(), expect.stringContaining('jwt-1'));
    setItem.mockRestore();
  });

  it('sends a signed-out visitor of /chat to /login', async () => {
    const { router } = renderApp({ routes, initialPath: '/chat', user: null });
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
  });
});

import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { routes } from '../../app/router';
import { alice, jsonResponse, renderApp } from '../../test-utils/harness';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const CODES = Array.from({ length: 10 }, (_, i) => `abcde-fghi${'abcdefghij'[i]}`);

describe('two-factor settings', () => {
  it('sets up with a QR code and the key as text, confirms a code and shows the recovery codes once', async () => {
    const user = userEvent.setup();
    let enabled = false;
    const calls: { url: string; body?: unknown }[] = [];
    renderApp({
      routes,
      initialPath: '/settings',
      fetch: (url, init) => {
        calls.push({ url, body: init.body ? JSON.parse(String(init.body)) : undefined });
        if (url === '/api/2fa/setup')
          return jsonResponse(200, {
            secret: SECRET,
            otpauthUri: `otpauth://totp/Natter:alice?secret=${SECRET}&issuer=Natter`,
          });
        if (url === '/api/2fa/enable') {
          enabled = true;
          return jsonResponse(200, { recoveryCodes: CODES });
        }
        if (url === '/api/me')
          return jsonResponse(200, { user: { ...alice, twoFactorEnabled: enabled } });
        if (url === '/api/sessions') return jsonResponse(200, { sessions: [] });
        if (url === '/api/blocks') return jsonResponse(200, { blocks: [] });
        return jsonResponse(404, {});
      },
    });

    const section = await screen.findByTestId('two-factor-section');
    expect(within(section).getByTestId('two-factor-state')).toHaveTextContent(/^Off/);
    await user.click(within(section).getByRole('button', { name: 'Set up two-factor sign-in' }));

    expect(await within(section).findByRole('img', { name: /QR code/ })).toBeInTheDocument();
    expect(within(section).getByTestId('two-factor-secret').textContent?.replace(/\s/g, '')).toBe(
      SECRET,
    );
    await user.click(within(section).getByRole('button', { name: 'Turn on' }));
    expect(within(section).getByLabelText('Code from the app')).toHaveAccessibleDescription(
      /6-digit/,
    );
    await user.type(within(section).getByLabelText('Code from the app'), '123456');
    await user.click(within(section).getByRole('button', { name: 'Turn on' }));

    const list = await within(section).findByRole('list', { name: 'Recovery codes' });
    expect(
      within(list)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(CODES);
    expect(calls.find((call) => call.url === '/api/2fa/enable')?.body).toEqual({ code: '123456' });
    await waitFor(() =>
      expect(within(section).getByTestId('two-factor-state')).toHaveTextContent(/^On/),
    );

    await user.click(within(section).getByRole('button', { name: 'I have saved them' }));
    expect(within(section).queryByRole('list', { name: 'Recovery codes' })).toBeNull();
    expect(
      within(section).getByRole('form', { name: 'Turn two-factor sign-in off' }),
    ).toBeVisible();
  });

  it('turns off with the password and a recovery code', async () => {
    const user = userEvent.setup();
    let body: unknown;
    renderApp({
      routes,
      initialPath: '/settings',
      user: { ...alice, twoFactorEnabled: true },
      fetch: (url, init) => {
        if (url === '/api/2fa/disable') {
          body = JSON.parse(String(init.body));
          return Promise.resolve(new Response(null, { status: 204 }));
        }
        if (url === '/api/me') return jsonResponse(200, { user: alice });
        if (url === '/api/sessions') return jsonResponse(200, { sessions: [] });
        if (url === '/api/blocks') return jsonResponse(200, { blocks: [] });
        return jsonResponse(404, {});
      },
    });
    const form = await screen.findByRole('form', { name: 'Turn two-factor sign-in off' });
    await user.click(within(form).getByRole('button', { name: 'Turn two-factor sign-in off' }));
    expect(within(form).getByLabelText('Password')).toHaveAccessibleDescription(
      'Enter your password',
    );

    await user.type(within(form).getByLabelText('Password'), 'my password');
    await user.click(within(form).getByRole('button', { name: 'Use a recovery code instead' }));
    await user.type(within(form).getByLabelText('Recovery code'), 'abcde-fghij');
    await user.click(within(form).getByRole('button', { name: 'Turn two-factor sign-in off' }));
    await waitFor(() => expect(screen.getByTestId('two-factor-state')).toHaveTextContent(/^Off/));
    expect(body).toEqual({ password: 'my password', recoveryCode: 'abcde-fghij' });
  });
});

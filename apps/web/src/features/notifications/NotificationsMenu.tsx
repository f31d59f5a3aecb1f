import { useState } from 'react';
import { BellIcon } from '../../ui/icons';
import { Menu, type MenuItem } from '../../ui/Menu';
import { useToast } from '../../ui/toast-context';
import {
  notificationPermission,
  setNotificationPrefs,
  useNotificationPrefs,
  type PermissionState,
} from './notification-prefs';

/**
 * The bell in the sidebar. Permission is asked only here, from the user's click, never on load.
 */
export function NotificationsMenu() {
  const prefs = useNotificationPrefs();
  const toast = useToast();
  const [permission, setPermission] = useState<PermissionState>(notificationPermission);
  const on = prefs.enabled && permission === 'granted';

  async function enable() {
    if (permission === 'unsupported') {
      toast.show('This browser cannot show desktop notifications', 'error');
      return;
    }
    let result: PermissionState = permission;
    if (result === 'default') result = await window.Notification.requestPermission();
    setPermission(result);
    if (result === 'granted') {
      setNotificationPrefs({ enabled: true });
      toast.show('Desktop notifications are on', 'success');
    } else {
      toast.show('Notifications are blocked for this site in the browser settings', 'error');
    }
  }

  const items: MenuItem[] = [
    on
      ? {
          label: 'Turn off desktop notifications',
          onSelect: () => setNotificationPrefs({ enabled: false }),
          testId: 'notifications-disable',
        }
      : {
          label: 'Enable desktop notifications',
          onSelect: () => void enable(),
          testId: 'notifications-enable',
        },
    {
      label: prefs.sound ? 'Turn notification sound off' : 'Turn notification sound on',
      onSelect: () => setNotificationPrefs({ sound: !prefs.sound }),
      testId: 'notifications-sound',
    },
  ];

  return (
    <span className="notifications-menu" data-state={on ? 'on' : 'off'} data-testid="notifications">
      <Menu
        label={on ? 'Notifications: on' : 'Notifications: off'}
        items={items}
        testId="notifications-menu"
        trigger={<BellIcon off={!on} />}
      />
    </span>
  );
}

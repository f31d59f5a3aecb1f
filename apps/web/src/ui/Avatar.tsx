function hue(name: string): number {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) % 360;
  return h;
}

export interface AvatarProps {
  name: string;
  online?: boolean;
  size?: 'sm' | 'md';
}

/** Initial on a colour derived from the name; with a presence dot when `online` is given. */
export function Avatar({ name, online, size = 'md' }: AvatarProps) {
  return (
    <span
      className={`avatar avatar-${size}`}
      style={{ '--avatar-hue': hue(name.toLowerCase()) } as React.CSSProperties}
      aria-hidden="true"
    >
      {name.slice(0, 1).toUpperCase()}
      {online !== undefined && (
        <span
          className={online ? 'presence-dot online' : 'presence-dot'}
          data-testid="presence-dot"
          data-online={online ? 'true' : 'false'}
        />
      )}
    </span>
  );
}

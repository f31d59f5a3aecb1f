import Linkify from 'linkify-react';
import type { Opts } from 'linkifyjs';
import { safeHref } from './link-rules';

/**
 * Message text as plain React text, with http(s) addresses as links that open in a new tab
 * and tell the other site nothing about us. Only `url` candidates that pass safeHref become
 * links; emails, schemeless hosts and everything else stay text.
 */
const LINK_OPTIONS: Opts = {
  validate: { url: (value: string) => safeHref(value) !== null, email: () => false },
  formatHref: (href: string) => safeHref(href) ?? href,
  target: '_blank',
  rel: 'noopener noreferrer',
  className: 'message-link',
  attributes: { 'data-testid': 'message-link' },
};

export function MessageText({ text, testId = 'message-text' }: { text: string; testId?: string }) {
  return (
    <Linkify as="p" className="message-text" data-testid={testId} options={LINK_OPTIONS}>
      {text}
    </Linkify>
  );
}

// Types of proxy.cjs for the TypeScript e2e suites.
export interface ProxyOptions {
  targets: string[];
  port?: number;
  host?: string;
  probePath?: string;
  probeEveryMs?: number;
  onRoute?: (route: { kind: 'http' | 'ws'; url: string; target: string }) => void;
}

export interface RunningProxy {
  url: string;
  port: number;
  /** The targets whose readiness probe answered last time. */
  up(): string[];
  close(): Promise<void>;
}

export function startProxy(options: ProxyOptions): Promise<RunningProxy>;

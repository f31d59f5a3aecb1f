import parsePrometheusTextFormat, { PrometheusFamily } from 'parse-prometheus-text-format';

export interface Scrape {
  text: string;
  families: PrometheusFamily[];
  /** Every label value of every series. */
  labelValues(): string[];
  /** The sum of the matching series (counter or gauge values, histogram counts); 0 when absent. */
  value(name: string, labels?: Record<string, string>): number;
}

/** GETs a metrics endpoint and parses it as the Prometheus text format. */
export async function scrape(metricsUrl: string): Promise<Scrape> {
  const response = await fetch(metricsUrl);
  if (!response.ok) throw new Error(`GET ${metricsUrl}: ${response.status}`);
  if (!/^text\/plain; version=0\.0\.4/.test(response.headers.get('content-type') ?? '')) {
    throw new Error(`unexpected content type ${response.headers.get('content-type')}`);
  }
  const text = await response.text();
  const families = parsePrometheusTextFormat(text);
  // The parser merges the series of a labelled histogram into one; its `_count` lines, read
  // as plain samples, keep their labels.
  const histogramCounts = parsePrometheusTextFormat(
    text
      .split('\n')
      .filter((line) => /^[A-Za-z_:][\w:]*_count[{ ]/.test(line))
      .join('\n'),
  );
  return {
    text,
    families,
    labelValues: () =>
      [...families, ...histogramCounts].flatMap((family) =>
        family.metrics.flatMap((sample) => Object.values(sample.labels ?? {})),
      ),
    value(name, labels = {}) {
      const family = families.find((candidate) => candidate.name === name);
      const series =
        family?.type === 'HISTOGRAM'
          ? histogramCounts.find((candidate) => candidate.name === `${name}_count`)
          : family;
      const matching = (series?.metrics ?? []).filter((sample) =>
        Object.entries(labels).every(([key, value]) => sample.labels?.[key] === value),
      );
      return matching.reduce((sum, sample) => sum + Number(sample.value ?? 0), 0);
    },
  };
}

// Inline SVG bar charts, drawn when the report is written: the page needs no chart library and the
// charts show even with JavaScript off.

export interface Series {
  name: string;
  values: number[];
}

export interface BarChartOptions {
  title: string;
  categories: string[];
  series: Series[];
  /** Categories beyond this many are summed into one "other" row. */
  maxCategories?: number;
}

const WIDTH = 720;
const LABEL_WIDTH = 220;
const BAR_HEIGHT = 14;
const GAP = 10;

/** A horizontal bar chart, one group of bars (one per series) per category. */
export function barChart(options: BarChartOptions): string {
  const { categories, series } = limitCategories(options);
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const groupHeight = series.length * BAR_HEIGHT + GAP;
  const legendHeight = series.length > 1 ? 22 : 0;
  const height = legendHeight + categories.length * groupHeight + 4;
  const plot = WIDTH - LABEL_WIDTH - 60;
  const parts: string[] = [];
  if (series.length > 1) {
    series.forEach((s, i) => {
      const x = LABEL_WIDTH + i * 170;
      parts.push(`<rect class="s${i}" x="${x}" y="4" width="12" height="12"/><text x="${x + 16}" y="14">${escapeXml(s.name)}</text>`);
    });
  }
  categories.forEach((category, c) => {
    const top = legendHeight + c * groupHeight;
    parts.push(`<text class="label" x="${LABEL_WIDTH - 8}" y="${top + (series.length * BAR_HEIGHT) / 2 + 4}" text-anchor="end">${escapeXml(truncate(category, 32))}<title>${escapeXml(category)}</title></text>`);
    series.forEach((s, i) => {
      const value = s.values[c] ?? 0;
      const cls = series.length === 1 ? "s3" : `s${i}`;
      const width = value === 0 ? 0 : Math.max(1, (value / max) * plot);
      const y = top + i * BAR_HEIGHT;
      parts.push(
        `<rect class="${cls}" x="${LABEL_WIDTH}" y="${y}" width="${width.toFixed(1)}" height="${BAR_HEIGHT - 2}"><title>${escapeXml(`${category}, ${s.name}: ${value}`)}</title></rect>` +
          `<text class="value" x="${(LABEL_WIDTH + width + 4).toFixed(1)}" y="${y + BAR_HEIGHT - 3}">${value}</text>`,
      );
    });
  });
  return (
    `<figure class="chart"><figcaption>${escapeXml(options.title)}</figcaption>` +
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeXml(options.title)}" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}">` +
    `${parts.join("")}</svg></figure>`
  );
}

function limitCategories(options: BarChartOptions): { categories: string[]; series: Series[] } {
  const limit = options.maxCategories ?? 20;
  if (options.categories.length <= limit) return { categories: options.categories, series: options.series };
  const keep = limit - 1;
  const rest = options.categories.length - keep;
  return {
    categories: [...options.categories.slice(0, keep), `${rest} other rules`],
    series: options.series.map((s) => ({ name: s.name, values: [...s.values.slice(0, keep), s.values.slice(keep).reduce((a, b) => a + b, 0)] })),
  };
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);
}

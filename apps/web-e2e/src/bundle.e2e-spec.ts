import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/*
 * SPEC §8.5: the SPA bundle carries no server-side validation runtime. Read from the built
 * assets (this phase runs after `nx run web:build`) and their source maps, which list every
 * module the bundler put in.
 */
const ASSETS = resolve(__dirname, '../../../dist/apps/web/assets');
const SERVER_ONLY =
  /node_modules\/(class-validator|class-transformer|reflect-metadata|class-validator-jsonschema|libphonenumber-js|validator)\//;
// The contracts modules with classes; the client entry reaches them for types only.
const CLASS_MODULES =
  /libs\/contracts\/src\/(auth|two-factor|social|messages|message-actions|api-error|schema-decorators|[a-z-]+\.responses)\.ts$/;

const files = (suffix: string) =>
  existsSync(ASSETS) ? readdirSync(ASSETS).filter((name) => name.endsWith(suffix)) : [];

describe('the built SPA bundle', () => {
  it('contains none of the server validation libraries', () => {
    const maps = files('.js.map');
    expect(maps.length).toBeGreaterThan(0);
    const sources = maps.flatMap(
      (name) =>
        (JSON.parse(readFileSync(join(ASSETS, name), 'utf8')) as { sources: string[] }).sources,
    );
    // The map really lists the bundle's modules: the app and React are in it.
    expect(sources.some((source) => source.includes('node_modules/react-dom/'))).toBe(true);
    expect(sources.some((source) => source.includes('libs/contracts/src/routes.ts'))).toBe(true);
    expect(sources.filter((source) => SERVER_ONLY.test(source))).toEqual([]);
    expect(sources.filter((source) => CLASS_MODULES.test(source))).toEqual([]);
  });

  it('has no trace of them in the shipped JavaScript either', () => {
    const scripts = files('.js');
    expect(scripts.length).toBeGreaterThan(0);
    for (const name of scripts) {
      const code = readFileSync(join(ASSETS, name), 'utf8');
      // Names the libraries register at run time, which minification keeps.
      expect(code).not.toMatch(
        /ValidationTypes|isMongoId|defineMetadata|class-transformer|class-validator/,
      );
    }
  });
});

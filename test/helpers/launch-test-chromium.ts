/**
 * The one place that decides which Chromium the browser tests launch, so they run on a machine with only Node, npm
 * and git:
 * - /usr/bin/chromium when the machine has one (Debian's `chromium` package);
 * - else the Chromium of the `@sparticuz/chromium` devDependency (a headless shell compressed inside the npm
 *   package), unpacked once into node_modules/.cache/deploy-checker-chromium — about 15 s the first time, then
 *   reused. Its NSS/expat libraries and fonts are unpacked next to it and handed to the browser process, so the
 *   machine needs none of them.
 * TEST_CHROMIUM=system or TEST_CHROMIUM=bundled skips the detection and forces one of the two.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';

const SYSTEM_CHROMIUM = '/usr/bin/chromium';
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BUNDLED_CACHE = path.join(repoRoot, 'node_modules', '.cache', 'deploy-checker-chromium');

/** Flags for a quiet, sandbox-less headless browser that talks to nothing but the test servers. */
export const CHROMIUM_LAUNCH_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/** A hook that launches the browser needs this long: the first launch on a machine unpacks the bundled Chromium. */
export const CHROMIUM_LAUNCH_TIMEOUT_MS = 180_000;

export interface TestChromium {
  readonly executablePath: string;
  /** Extra environment for the browser process (libraries and fonts of the bundled Chromium). */
  readonly env: Readonly<Record<string, string>>;
  readonly source: 'system' | 'bundled';
}

export async function resolveTestChromium(choice = process.env['TEST_CHROMIUM']?.trim() ?? ''): Promise<TestChromium> {
  if (choice !== '' && choice !== 'system' && choice !== 'bundled') {
    throw new Error(`TEST_CHROMIUM must be "system", "bundled" or unset, not "${choice}"`);
  }
  if (choice !== 'bundled') {
    if (existsSync(SYSTEM_CHROMIUM)) return { executablePath: SYSTEM_CHROMIUM, env: {}, source: 'system' };
    if (choice === 'system') throw new Error(`TEST_CHROMIUM=system, but ${SYSTEM_CHROMIUM} does not exist`);
  }
  const dir = await unpackBundledChromium();
  const existingLibraryPath = process.env['LD_LIBRARY_PATH'];
  return {
    executablePath: path.join(dir, 'chromium'),
    env: {
      LD_LIBRARY_PATH: [path.join(dir, 'al2023', 'lib'), ...(existingLibraryPath ? [existingLibraryPath] : [])].join(':'),
      FONTCONFIG_PATH: path.join(dir, 'fontconfig'),
    },
    source: 'bundled',
  };
}

export async function launchTestChromium(): Promise<Browser> {
  const browser = await resolveTestChromium();
  return chromium.launch({
    executablePath: browser.executablePath,
    args: [...CHROMIUM_LAUNCH_ARGS],
    env: { ...process.env, ...browser.env },
  });
}

/**
 * Unpacks into a fresh staging dir (the package unpacks into os.tmpdir(), so the child gets TMPDIR=staging) and
 * renames it into place when complete: an interrupted unpack never leaves a half-written browser in the cache, and
 * the shared /tmp/chromium of the package's default is never touched.
 */
async function unpackBundledChromium(): Promise<string> {
  if (existsSync(path.join(BUNDLED_CACHE, 'chromium'))) return BUNDLED_CACHE;
  mkdirSync(path.dirname(BUNDLED_CACHE), { recursive: true });
  const staging = mkdtempSync(`${BUNDLED_CACHE}.unpacking-`);
  try {
    // The package's compressed files: bin/ next to its build/ (the package exports only its entry point).
    const packageBin = path.join(path.dirname(createRequire(import.meta.url).resolve('@sparticuz/chromium')), '..', 'bin');
    const script = [
      "const { default: chromium, inflate } = await import('@sparticuz/chromium');",
      'const binary = await chromium.executablePath();',
      "await inflate(process.argv[1] + '/al2023.tar.br');",
      'process.stdout.write(binary);',
    ].join('\n');
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script, packageBin], {
      cwd: repoRoot,
      env: { ...process.env, TMPDIR: staging },
      timeout: CHROMIUM_LAUNCH_TIMEOUT_MS - 30_000,
    });
    if (stdout !== path.join(staging, 'chromium')) throw new Error(`@sparticuz/chromium unpacked to ${stdout}, expected ${staging}`);
    mkdirSync(path.join(staging, 'fontconfig'));
    writeFileSync(
      path.join(staging, 'fontconfig', 'fonts.conf'),
      `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <dir>${path.join(BUNDLED_CACHE, 'fonts')}</dir>\n  <cachedir>${path.join(BUNDLED_CACHE, 'fonts-cache')}</cachedir>\n</fontconfig>\n`,
    );
    try {
      renameSync(staging, BUNDLED_CACHE);
    } catch (error) {
      // Another test process finished first: use its copy.
      if (!existsSync(path.join(BUNDLED_CACHE, 'chromium'))) throw error;
    }
    return BUNDLED_CACHE;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

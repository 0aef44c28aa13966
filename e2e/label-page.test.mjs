// Browser test of the labelling page: labels images with clicks and keys, adds a note, reloads
// and checks that the page and the label file keep every choice.
// Usage: node label-page.test.mjs URL LABELFILE (LabelPageBrowserTest starts the server).
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const [url, labelFile] = process.argv.slice(2);
if (!url || !labelFile) {
  console.error('usage: node label-page.test.mjs URL LABELFILE');
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: process.env.FLAWMAP_CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

// Runs an action and waits for the response to the save it triggers.
async function saved(page, action) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/label') && r.request().method() === 'POST'),
    action(),
  ]);
  assert.equal(response.status(), 200, 'save failed: ' + (await response.text()));
  await page.waitForFunction(
    () => document.getElementById('status').textContent.startsWith('saved'));
}

async function waitForProgress(page, pattern) {
  await page.waitForFunction(
    (source) => new RegExp(source).test(document.getElementById('progress').textContent),
    pattern.source);
}

async function pressed(page, selector) {
  return page.locator(selector).getAttribute('aria-pressed');
}

async function caption(page) {
  return page.locator('#image-caption').textContent();
}

try {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  // Navigating away aborts image loads in flight (net::ERR_ABORTED), which is no error.
  page.on('requestfailed', (request) => {
    if (request.failure()?.errorText !== 'net::ERR_ABORTED') {
      errors.push(`request failed: ${request.url()} (${request.failure()?.errorText})`);
    }
  });
  page.on('response', (response) => {
    if (response.status() >= 400) {
      errors.push(`${response.status()} for ${response.url()}`);
    }
  });
  await page.goto(url);
  await waitForProgress(page, /labelled 0 \/ \d+/);
  const total = Number((await page.locator('#progress').textContent()).split('/ ')[1]);
  assert.ok(total >= 4, `expected at least 4 anomalous images, found ${total}`);
  assert.equal(await page.locator('#source').textContent(), 'suggested, not saved yet');

  // The mask outline is drawn and can be hidden with the key m and the button.
  await page.waitForFunction(() => document.getElementById('outline').dataset.path !== undefined);
  const outlined = await page.evaluate(() => {
    const canvas = document.getElementById('outline');
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let count = 0;
    for (let i = 3; i < data.length; i += 4) count += data[i] > 0 ? 1 : 0;
    return count;
  });
  assert.ok(outlined > 0, 'the mask outline has no pixels');
  await page.keyboard.press('m');
  assert.equal(await pressed(page, '#toggle-mask'), 'false');
  assert.ok(await page.locator('#outline').evaluate((c) => c.classList.contains('hidden')));
  await page.click('#toggle-mask');
  assert.equal(await pressed(page, '#toggle-mask'), 'true');

  // Zoom in with the key and out with the button.
  await page.keyboard.press('+');
  assert.equal(await page.locator('#stage').evaluate((s) => s.style.width), '125%');
  await page.click('#zoom-out');
  assert.equal(await page.locator('#stage').evaluate((s) => s.style.width), '100%');

  // Image 1: structural with the key, background without with the key.
  const paths = [];
  paths.push((await caption(page)).split(' ')[1]);
  await saved(page, () => page.keyboard.press('1'));
  await saved(page, () => page.keyboard.press('o'));
  assert.equal(await pressed(page, '[data-category="structural"]'), 'true');
  assert.equal(await page.locator('#source').textContent(), 'from the label file');

  // Image 2: next by button, surface and with by clicks.
  await page.click('#next');
  paths.push((await caption(page)).split(' ')[1]);
  await saved(page, () => page.click('[data-category="surface"]'));
  await saved(page, () => page.click('[data-background="with"]'));

  // Image 3: next by arrow key, contamination by key, and a note saved when it loses focus.
  await page.keyboard.press('ArrowRight');
  paths.push((await caption(page)).split(' ')[1]);
  await saved(page, () => page.keyboard.press('3'));
  await page.fill('#note', 'two marks, one "faint"');
  await saved(page, () => page.click('h2'));

  // Image 4: next by n, combined by key; then back with p and ArrowLeft, and skip with s.
  await page.keyboard.press('n');
  paths.push((await caption(page)).split(' ')[1]);
  await saved(page, () => page.keyboard.press('4'));
  await page.keyboard.press('p');
  assert.equal((await caption(page)).split(' ')[1], paths[2]);
  await page.keyboard.press('ArrowLeft');
  assert.equal((await caption(page)).split(' ')[1], paths[1]);
  await page.keyboard.press('s');
  const skippedTo = (await caption(page)).split(' ')[1];
  assert.ok(!paths.includes(skippedTo), `skip went to ${skippedTo}, which is labelled`);
  assert.equal(await page.locator('#progress').textContent(), `labelled 4 / ${total}`);
  assert.equal(await page.locator('#counts').textContent(),
    'structural 1 · surface 1 · contamination 1 · combined 1');

  // Reload: the page shows the saved labels of each image.
  await page.goto(url);
  await waitForProgress(page, /labelled 4 \//);
  const expected = [
    ['structural', 'without', ''],
    ['surface', 'with', ''],
    ['contamination', null, 'two marks, one "faint"'],
    ['combined', null, ''],
  ];
  await page.goto(url + '#' + encodeURIComponent(paths[0]));
  await page.reload();
  await waitForProgress(page, /labelled 4 \//);
  for (let i = 0; i < expected.length; i += 1) {
    const [category, background, note] = expected[i];
    assert.equal((await caption(page)).split(' ')[1], paths[i]);
    assert.equal(await pressed(page, `[data-category="${category}"]`), 'true', paths[i]);
    if (background) {
      assert.equal(await pressed(page, `[data-background="${background}"]`), 'true', paths[i]);
    }
    assert.equal(await page.locator('#note').inputValue(), note, paths[i]);
    assert.equal(await page.locator('#source').textContent(), 'from the label file');
    await page.keyboard.press('n');
  }
  assert.deepEqual(errors, []);

  // The label file has the four rows in the documented schema.
  const lines = readFileSync(labelFile, 'utf8').split('\n');
  assert.equal(lines[0], 'path,product,background,category,note');
  const rows = lines.slice(1).filter((line) => line !== '');
  assert.equal(rows.length, 4);
  assert.match(rows[0], new RegExp(`^${paths[0]},[^,]+,without,structural,$`));
  assert.match(rows[1], new RegExp(`^${paths[1]},[^,]+,with,surface,$`));
  assert.ok(rows[2].startsWith(`${paths[2]},`), rows[2]);
  assert.ok(rows[2].endsWith(',contamination,"two marks, one ""faint"""'), rows[2]);
  assert.match(rows[3], new RegExp(`^${paths[3]},[^,]+,(with|without),combined,$`));
  console.log(`label page test passed: ${rows.length} rows in ${labelFile}`);
} finally {
  await browser.close();
}

// Labelling page: shows one anomalous image at a time and saves every choice at once through
// POST /api/label. The server's JSON interface is described in LabelApi.java.
'use strict';

const page = {
  items: [],
  version: 0,
  index: 0,
  zoom: 1,
  showMask: true,
  saves: Promise.resolve(),
};

const $ = (id) => document.getElementById(id);

async function load() {
  const response = await fetch('api/state');
  if (!response.ok) {
    showStatus('failed to load the images: ' + (await response.text()), true);
    return;
  }
  const state = await response.json();
  page.items = state.items;
  page.version = state.version;
  page.maskThreshold = state.maskThreshold;
  $('product').textContent = state.product;

  const fromHash = page.items.findIndex(
    (item) => '#' + encodeURIComponent(item.path) === location.hash);
  const firstUnlabelled = page.items.findIndex((item) => item.row === null);
  page.index = fromHash >= 0 ? fromHash : Math.max(firstUnlabelled, 0);
  render();
}

function current() {
  return page.items[page.index];
}

// The values shown for an item: its label file row, else the suggestion.
function shown(item) {
  return item.row || item.suggested || { category: 'surface', background: 'with', note: '' };
}

function render() {
  const item = current();
  if (!item) {
    $('product').textContent += ' (no anomalous images)';
    return;
  }
  const values = shown(item);
  if ($('image').getAttribute('src') !== item.image) {
    $('image').src = item.image;
    clearOutline();
  }
  $('reference').src = item.reference || '';
  $('image-caption').textContent =
    `${page.index + 1}. ${item.path} (defect type ${item.defectType})`;
  $('reference-caption').textContent = item.reference
    ? 'defect-free reference: ' + decodeURIComponent(item.reference.replace(/^\/files\//, ''))
    : 'no defect-free reference image in this dataset';

  for (const button of document.querySelectorAll('[data-category]')) {
    button.setAttribute('aria-pressed', String(button.dataset.category === values.category));
  }
  for (const button of document.querySelectorAll('[data-background]')) {
    button.setAttribute('aria-pressed', String(button.dataset.background === values.background));
  }
  $('source').textContent = item.row ? 'from the label file' : 'suggested, not saved yet';
  $('source').className = item.row ? 'saved' : 'suggested';
  // A save response that arrives while a note is typed on this image must not erase it.
  const typing = document.activeElement === $('note') && page.renderedPath === item.path;
  if (!typing) {
    $('note').value = item.row ? item.row.note : '';
  }
  page.renderedPath = item.path;
  $('evidence').textContent = item.suggested ? 'evidence: ' + item.suggested.note : '';
  history.replaceState(null, '', '#' + encodeURIComponent(item.path));
  renderProgress();
}

function renderProgress() {
  const counts = {};
  let labelled = 0;
  for (const item of page.items) {
    if (item.row) {
      labelled += 1;
      counts[item.row.category] = (counts[item.row.category] || 0) + 1;
    }
  }
  $('progress').textContent = `labelled ${labelled} / ${page.items.length}`;
  $('counts').textContent = ['structural', 'surface', 'contamination', 'combined']
    .map((category) => `${category} ${counts[category] || 0}`).join(' · ');
}

function showStatus(text, isError) {
  $('status').textContent = text;
  $('status').className = isError ? 'error' : '';
}

// Queues a save so that each request carries the revision returned by the previous one.
function save(changes) {
  const item = current();
  const note = $('note').value;
  page.saves = page.saves.then(() => send(item, changes, note));
  return page.saves;
}

async function send(item, changes, note) {
  const values = Object.assign({}, shown(item), changes, { note });
  const body = {
    path: item.path,
    category: values.category,
    background: values.background,
    note: values.note,
    revision: item.revision,
    version: page.version,
  };
  showStatus('saving ' + item.path);
  let response;
  try {
    response = await fetch('api/label', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch (error) {
    showStatus('save failed, the server cannot be reached: ' + error.message, true);
    return;
  }
  if (response.status !== 200 && response.status !== 409) {
    showStatus(`save failed (${response.status}): ${await response.text()}`, true);
    return;
  }

  const result = await response.json();
  item.row = result.item.row;
  item.revision = result.item.revision;
  page.version = result.version;
  if (result.saved) {
    showStatus(result.merged ? 'saved, merged with the other page\'s rows' : 'saved');
  } else {
    showStatus(result.message, true);
  }
  if (item === current()) {
    render();
  } else {
    renderProgress();
  }
}

function move(step) {
  const next = page.index + step;
  if (next < 0 || next >= page.items.length) {
    showStatus(next < 0 ? 'this is the first image' : 'this is the last image');
    return;
  }
  page.index = next;
  showStatus('');
  render();
}

function skipToUnlabelled() {
  const count = page.items.length;
  for (let step = 1; step < count; step += 1) {
    const index = (page.index + step) % count;
    if (!page.items[index].row) {
      page.index = index;
      showStatus('');
      render();
      return;
    }
  }
  showStatus('every image is labelled');
}

function setZoom(zoom) {
  page.zoom = Math.min(8, Math.max(0.25, zoom));
  for (const stage of [$('stage'), $('reference-stage')]) {
    stage.style.width = `${page.zoom * 100}%`;
  }
}

function toggleMask() {
  page.showMask = !page.showMask;
  $('outline').classList.toggle('hidden', !page.showMask);
  $('toggle-mask').setAttribute('aria-pressed', String(page.showMask));
}

function clearOutline() {
  const canvas = $('outline');
  canvas.getContext('2d').clearRect(0, 0, canvas.width, canvas.height);
}

// Draws the boundary of the mask: defective pixels (value >= threshold) with a non-defective
// 4-neighbour or on the border, widened to 3x3 so that it stays visible when scaled down.
function drawOutline(item) {
  if (!item.mask) {
    return;
  }
  const mask = new Image();
  mask.onload = () => {
    if (item !== current()) {
      return;
    }
    const width = mask.naturalWidth;
    const height = mask.naturalHeight;
    const scratch = document.createElement('canvas');
    scratch.width = width;
    scratch.height = height;
    const context = scratch.getContext('2d');
    context.drawImage(mask, 0, 0);
    const pixels = context.getImageData(0, 0, width, height).data;
    const threshold = page.maskThreshold || 128;
    const on = (x, y) => x >= 0 && y >= 0 && x < width && y < height
      && pixels[(y * width + x) * 4] >= threshold;

    const canvas = $('outline');
    canvas.width = width;
    canvas.height = height;
    const out = canvas.getContext('2d');
    const image = out.createImageData(width, height);
    for (let y = 0; y < height; y += 1) {
      for (let x = 0; x < width; x += 1) {
        if (!on(x, y) || (on(x - 1, y) && on(x + 1, y) && on(x, y - 1) && on(x, y + 1))) {
          continue;
        }
        for (let dy = -1; dy <= 1; dy += 1) {
          for (let dx = -1; dx <= 1; dx += 1) {
            const px = x + dx;
            const py = y + dy;
            if (px >= 0 && py >= 0 && px < width && py < height) {
              const offset = (py * width + px) * 4;
              image.data.set([255, 40, 40, 255], offset);
            }
          }
        }
      }
    }
    out.putImageData(image, 0, 0);
    canvas.dataset.path = item.path;
  };
  mask.src = item.mask;
}

function onKey(event) {
  const target = event.target;
  if (event.ctrlKey || event.metaKey || event.altKey
      || target.tagName === 'TEXTAREA' || target.tagName === 'INPUT') {
    return;
  }
  const categories = { 1: 'structural', 2: 'surface', 3: 'contamination', 4: 'combined' };
  const backgrounds = { w: 'with', o: 'without' };
  const key = event.key;
  if (categories[key]) {
    save({ category: categories[key] });
  } else if (backgrounds[key]) {
    save({ background: backgrounds[key] });
  } else if (key === 'ArrowRight' || key === 'n') {
    move(1);
  } else if (key === 'ArrowLeft' || key === 'p') {
    move(-1);
  } else if (key === 's') {
    skipToUnlabelled();
  } else if (key === 'm') {
    toggleMask();
  } else if (key === '+' || key === '=') {
    setZoom(page.zoom * 1.25);
  } else if (key === '-') {
    setZoom(page.zoom / 1.25);
  } else {
    return;
  }
  event.preventDefault();
}

function init() {
  for (const button of document.querySelectorAll('[data-category]')) {
    button.addEventListener('click', () => save({ category: button.dataset.category }));
  }
  for (const button of document.querySelectorAll('[data-background]')) {
    button.addEventListener('click', () => save({ background: button.dataset.background }));
  }
  $('note').addEventListener('change', () => save({}));
  $('next').addEventListener('click', () => move(1));
  $('previous').addEventListener('click', () => move(-1));
  $('skip').addEventListener('click', skipToUnlabelled);
  $('toggle-mask').addEventListener('click', toggleMask);
  $('zoom-in').addEventListener('click', () => setZoom(page.zoom * 1.25));
  $('zoom-out').addEventListener('click', () => setZoom(page.zoom / 1.25));
  $('image').addEventListener('load', () => drawOutline(current()));
  document.addEventListener('keydown', onKey);
  load();
}

init();

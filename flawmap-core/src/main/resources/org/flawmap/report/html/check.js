// Self-check of the report, run on load: counts images, images that failed to decode, SVG plots,
// in-page links without a target, duplicate ids and placeholders of missing image files, and
// writes them as JSON into <body data-check>, so a headless browser can read them back.
window.addEventListener('load', function () {
  var images = document.images;
  var broken = 0;
  for (var i = 0; i < images.length; i++) {
    if (!images[i].complete || images[i].naturalWidth === 0) {
      broken++;
    }
  }
  var links = document.querySelectorAll('a[href^="#"]');
  var missingAnchors = 0;
  for (var j = 0; j < links.length; j++) {
    var id = decodeURIComponent(links[j].getAttribute('href').slice(1));
    if (id === '' || document.getElementById(id) === null) {
      missingAnchors++;
    }
  }
  var seen = {};
  var duplicateIds = 0;
  var withId = document.querySelectorAll('[id]');
  for (var k = 0; k < withId.length; k++) {
    if (seen[withId[k].id]) {
      duplicateIds++;
    }
    seen[withId[k].id] = true;
  }
  document.body.setAttribute('data-check', JSON.stringify({
    images: images.length,
    broken: broken,
    svgs: document.querySelectorAll('svg.plot').length,
    anchors: links.length,
    missingAnchors: missingAnchors,
    duplicateIds: duplicateIds,
    missingFiles: document.querySelectorAll('.missing-file').length
  }));
});

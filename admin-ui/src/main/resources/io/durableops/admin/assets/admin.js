/*
 * Durable Ops admin UI: keeps a page current without reloading it, and without a build step. Every few seconds
 * (the body's data-refresh) it fetches the page's own URL and swaps each region marked data-live for its fresh
 * version. A region is left alone while the user is typing or selecting in it; opened <details> stay open. It pauses
 * while the tab is hidden, stops when the session has ended or the fresh page no longer asks to be refreshed (a bulk
 * run that has ended), and the Pause button stops it on purpose.
 */
(function () {
  'use strict';
  var seconds = parseInt(document.body.getAttribute('data-refresh') || '0', 10);
  if (!seconds || !window.fetch || !window.DOMParser) return;
  var line = document.getElementById('live');
  var status = document.getElementById('live-status');
  var toggle = document.getElementById('live-toggle');
  var paused = window.sessionStorage && sessionStorage.getItem('durable-ops-paused') === '1';
  var timer = null;
  var busy = false;

  function say(text) { if (status) status.textContent = text; }

  function busyIn(region) {
    var active = document.activeElement;
    if (active && active !== document.body && region.contains(active) && /^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName)) return true;
    var fields = region.querySelectorAll('input, textarea, select');
    for (var i = 0; i < fields.length; i++) {
      var f = fields[i];
      if (f.type === 'hidden') continue;
      if (f.tagName === 'SELECT') {
        for (var j = 0; j < f.options.length; j++) if (f.options[j].selected !== f.options[j].defaultSelected) return true;
      } else if (f.type === 'checkbox' || f.type === 'radio') {
        if (f.checked !== f.defaultChecked) return true;
      } else if (f.value !== f.defaultValue) {
        return true;
      }
    }
    var selection = window.getSelection && window.getSelection();
    return !!(selection && !selection.isCollapsed && selection.anchorNode && region.contains(selection.anchorNode));
  }

  /** Swaps the live regions; false when the fresh page asks for no more refreshes. */
  function swap(html) {
    var fresh = new DOMParser().parseFromString(html, 'text/html');
    var regions = document.querySelectorAll('[data-live]');
    for (var i = 0; i < regions.length; i++) {
      var region = regions[i];
      var next = region.id && fresh.getElementById(region.id);
      if (!next || busyIn(region)) continue;
      var open = {};
      var details = region.querySelectorAll('details[data-key]');
      for (var j = 0; j < details.length; j++) open[details[j].getAttribute('data-key')] = details[j].open;
      var copy = document.importNode(next, true);
      var again = copy.querySelectorAll('details[data-key]');
      for (var k = 0; k < again.length; k++) {
        var key = again[k].getAttribute('data-key');
        if (Object.prototype.hasOwnProperty.call(open, key)) again[k].open = open[key];
      }
      region.parentNode.replaceChild(copy, region);
    }
    return fresh.body.hasAttribute('data-refresh');
  }

  function schedule() {
    clearTimeout(timer);
    if (!paused) timer = setTimeout(tick, seconds * 1000);
  }

  function tick() {
    if (paused) return;
    if (document.hidden || busy) { schedule(); return; }
    busy = true;
    fetch(window.location.href, { credentials: 'same-origin', cache: 'no-store', redirect: 'manual',
                                  headers: { 'X-Durable-Ops-Refresh': '1' } })
      .then(function (response) {
        if (response.status !== 200) throw new Error(response.status === 401 || response.type === 'opaqueredirect'
          ? 'signed out: reload the page to sign in again' : 'the server answered ' + response.status);
        return response.text();
      })
      .then(function (html) {
        var more = swap(html);
        busy = false;
        if (!more) {
          say('Updated at ' + new Date().toISOString().substring(11, 19) + ' UTC; nothing more will change.');
          if (toggle) toggle.hidden = true;
          return;
        }
        say('Updated at ' + new Date().toISOString().substring(11, 19) + ' UTC; every ' + seconds + ' s.');
        schedule();
      })
      .catch(function (error) {
        busy = false;
        say('Auto-refresh stopped: ' + error.message + '.');
        paused = true;
        if (toggle) toggle.textContent = 'Resume';
      });
  }

  if (toggle) {
    toggle.addEventListener('click', function () {
      paused = !paused;
      if (window.sessionStorage) sessionStorage.setItem('durable-ops-paused', paused ? '1' : '0');
      toggle.textContent = paused ? 'Resume' : 'Pause';
      say(paused ? 'Auto-refresh paused.' : 'Updates every ' + seconds + ' s.');
      if (!paused) tick();
    });
    toggle.textContent = paused ? 'Resume' : 'Pause';
    if (paused) say('Auto-refresh paused.');
  }
  if (line) line.hidden = false;
  document.addEventListener('visibilitychange', function () { if (!document.hidden && !paused) tick(); });
  schedule();
}());

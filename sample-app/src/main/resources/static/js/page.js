'use strict';
// The sample page's kite: kite.js 1.0.13 (js/bundle.js defines window.Kite) over SockJS to /kite.
// It calls the sample kite (square, demo.pushes, kv.*) and serves notify(message), which the
// server calls on this page. Everything the server sends is shown with textContent, never as HTML.
(function () {
  var CALL_TIMEOUT_MS = 10000;

  function $(id) {
    return document.getElementById(id);
  }

  function setStatus(element, text, ok) {
    element.textContent = text;
    element.className = 'status ' + (ok ? 'ok' : 'bad');
  }

  function describe(err) {
    if (err == null) {
      return 'unknown error';
    }
    return (err.type ? err.type + ': ' : '') + (err.message || String(err));
  }

  // kite.js is silent when a method is unknown to a kite.js server, so every call has a bound.
  function tell(method, args) {
    return new Promise(function (resolve, reject) {
      var timer = setTimeout(function () {
        reject({ type: 'timeout', message: 'No response to "' + method + '" in ' + CALL_TIMEOUT_MS + ' ms' });
      }, CALL_TIMEOUT_MS);
      kite.tell(method, args).then(function (result) {
        clearTimeout(timer);
        resolve(result);
      }, function (err) {
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  var kite = new Kite({
    url: window.location.origin + '/kite',
    transportClass: Kite.transport.SockJS,
    name: 'sample-page',
    autoConnect: false,
    autoReconnect: true,
    logLevel: 0,
    api: {
      // Called by the server (demo.pushes): shown in the panel, answered [null, "shown"].
      notify: function (message, callback) {
        var item = document.createElement('li');
        item.className = 'push';
        item.textContent = String(message);
        $('pushes-log').appendChild(item);
        callback(null, 'shown');
      }
    }
  });

  kite.on('open', function () {
    setStatus($('status'), 'connected', true);
    watch();
  });
  kite.on('close', function () {
    setStatus($('status'), 'disconnected', false);
    setStatus($('kv-status'), 'stopped (disconnected)', false);
  });

  $('square-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var output = $('square-result');
    output.className = '';
    output.textContent = '…';
    tell('square', [Number($('square-input').value)]).then(function (result) {
      output.textContent = String(result);
    }, function (err) {
      output.className = 'error';
      output.textContent = describe(err);
    });
  });

  $('pushes-form').addEventListener('submit', function (event) {
    event.preventDefault();
    tell('demo.pushes', [Number($('pushes-count').value)]).catch(function (err) {
      var item = document.createElement('li');
      item.className = 'error';
      item.textContent = describe(err);
      $('pushes-log').appendChild(item);
    });
  });

  // The entries table: one row per key, updated by kv.get answers and kv.watch events.
  function show(entry) {
    var rows = $('kv-entries');
    var row = null;
    for (var i = 0; i < rows.rows.length; i++) {
      if (rows.rows[i].getAttribute('data-key') === entry.key) {
        row = rows.rows[i];
      }
    }
    if (row == null) {
      row = rows.insertRow();
      row.setAttribute('data-key', entry.key);
      row.insertCell();
      row.insertCell();
      row.insertCell();
    }
    if (Number(row.getAttribute('data-version') || 0) > entry.version) {
      return; // an older event than the one shown
    }
    row.setAttribute('data-version', String(entry.version));
    row.cells[0].textContent = entry.key;
    row.cells[1].textContent = entry.value;
    row.cells[2].textContent = String(entry.version);
    if (entry.key === $('kv-key').value) {
      $('kv-version').value = String(entry.version); // the next put replaces what is shown
    }
  }

  function kvAnswer(text, error) {
    var output = $('kv-result');
    output.className = error ? 'error' : '';
    output.textContent = text;
  }

  function watch() {
    setStatus($('kv-status'), 'starting', true);
    tell('kv.watch', [function (entry) {
      show(entry);
    }]).then(function () {
      setStatus($('kv-status'), 'watching', true);
    }, function (err) {
      // e.g. methodNotFound: this build of the sample has no key-value kite
      setStatus($('kv-status'), 'unavailable: ' + describe(err), false);
    });
  }

  $('kv-get').addEventListener('click', function () {
    var key = $('kv-key').value;
    tell('kv.get', [key]).then(function (found) {
      show({ key: key, value: found.value, version: found.version });
      $('kv-value').value = found.value;
      kvAnswer(key + ' = ' + found.value + ' (version ' + found.version + ')', false);
    }, function (err) {
      if (err.type === 'keyNotFound') {
        $('kv-version').value = '0';
      }
      kvAnswer(describe(err), true);
    });
  });

  $('kv-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var key = $('kv-key').value;
    var value = $('kv-value').value;
    tell('kv.put', [key, value, Number($('kv-version').value)]).then(function (version) {
      kvAnswer(key + ' is now version ' + version, false);
    }, function (err) {
      // versionConflict: someone else wrote first; its code is the current version
      kvAnswer(describe(err) + (err.code ? ' (current version ' + err.code + ')' : ''), true);
    });
  });

  kite.connect();
})();

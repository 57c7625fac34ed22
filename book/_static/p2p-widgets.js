/* Pixels to Probabilities: live "Try it" widgets for the static book (no kernel, no CDN).
 *
 * Markup (written by the Python widgets' HTML export):
 *   <div class="p2p-live" data-widget="NAME">
 *     <img src="snapshot.png" alt="...">                       fallback: hidden once live
 *     <script type="application/json" class="p2p-config">{...}</script>
 *   </div>
 * On DOMContentLoaded every div.p2p-live[data-widget] is built; if anything fails the
 * snapshot stays. The element then has .p2p = {state, update()}, data-p2p-status
 * ("ready"/"failed") and data-last-update-ms (time of the last update()).
 * In the JSON, write "<\/" for "</" so the script element cannot end early.
 *
 * Config schemas (fields marked ? are optional; defaults after "=").
 * kernel-editor
 *   width, height: int            size of the grayscale photo
 *   pixels: string                base64 of height*width uint8, row-major; value = byte/255
 *   preset?: string = "vertical_edge"   name in kernels
 *   kernel?: number[3][3]         start kernel (overrides preset)
 *   kernels?: {name: number[3][3]}      = the 3×3 kernels of utils/kernels.py
 *   padding?: "same"|"valid"|int = "same";  relu?: bool = false;  pool?: bool = false
 *   min?, max?, step?: number = -5, 5, 0.05   slider range of each kernel cell
 * conv-stepper
 *   image: number[H][W] or number[H][W][C]     small (≤ 12×12), any numbers
 *   kernels?: {name: number[k][k] or number[k][k][C]}  = the 3×3 presets (on every channel)
 *   kernel?: string = first name;  position?: int = 0;  stride?: int = 1
 *   padding?: "valid"|"same"|int = "valid"
 * pooling-explorer
 *   h, w: int;  values: base64 of h*w float32 little-endian, or number[] / number[h][w]
 *   size?: int = 2;  stride?: int = size;  mode?: "max"|"average" = "max";  max_size?: int = 8
 * softmax-explorer
 *   classes: string[] (2–10);  logits?: number[] = [2, 1, 0.1, -1, 0…]
 *   temperature?: number = 1 (slider is log10 T in [-1, 1], step 0.05)
 *   logit_min?, logit_max?, logit_step?: number = -5, 5, 0.1
 */
(function () {
  'use strict';

  // ------------------------------------------------------------------ numerics
  // Mirrors utils/conv.py, utils/pooling.py, utils/activations.py and utils/kernels.py.

  function checkInt(v, name, min) {
    if (!Number.isInteger(v) || v < min) throw new Error(name + ' must be an int >= ' + min + ', got ' + v);
    return v;
  }

  /** Zeros (before, after) for Keras/TF "same" padding: output ceil(n / stride). */
  function samePadding(n, k, stride) {
    var total = Math.max((Math.ceil(n / stride) - 1) * stride + k - n, 0);
    return [Math.floor(total / 2), total - Math.floor(total / 2)];
  }

  function pads(n, k, stride, padding) {
    if (padding === 'same') return samePadding(n, k, stride);
    if (padding === 'valid' || padding == null) return [0, 0];
    checkInt(padding, 'padding', 0);
    return [padding, padding];
  }

  /** Cross-correlation of an h×w×C image (flat, channel-last) with a kh×kw×C kernel. */
  function conv2d(image, h, w, kernel, kh, kw, opts) {
    opts = opts || {};
    var s = checkInt(opts.stride == null ? 1 : opts.stride, 'stride', 1);
    var c = opts.channels || 1, padding = opts.padding == null ? 'valid' : opts.padding;
    if (image.length !== h * w * c) throw new Error('image has ' + image.length + ' values, expected ' + h * w * c);
    if (kernel.length !== kh * kw * c) throw new Error('kernel has ' + kernel.length + ' values, expected ' + kh * kw * c);
    var pr = pads(h, kh, s, padding), pc = pads(w, kw, s, padding);
    var H = h + pr[0] + pr[1], W = w + pc[0] + pc[1];
    if (kh > H || kw > W) throw new Error('A ' + kh + '×' + kw + ' kernel does not fit a ' + H + '×' + W + ' input');
    var oh = Math.floor((H - kh) / s) + 1, ow = Math.floor((W - kw) / s) + 1;
    var out = new Float64Array(oh * ow);
    for (var i = 0; i < oh; i++) {
      for (var j = 0; j < ow; j++) {
        var acc = 0;
        for (var a = 0; a < kh; a++) {
          var y = i * s + a - pr[0];
          if (y < 0 || y >= h) continue;
          for (var b = 0; b < kw; b++) {
            var x = j * s + b - pc[0];
            if (x < 0 || x >= w) continue;
            var p = (y * w + x) * c, q = (a * kw + b) * c;
            for (var ch = 0; ch < c; ch++) acc += image[p + ch] * kernel[q + ch];
          }
        }
        out[i * ow + j] = acc;
      }
    }
    return { data: out, h: oh, w: ow };
  }

  function relu(x) {
    var out = new Float64Array(x.length);
    for (var i = 0; i < x.length; i++) out[i] = x[i] > 0 ? x[i] : 0;
    return out;
  }

  function pair(v, name) {
    return Array.isArray(v) ? [checkInt(v[0], name, 1), checkInt(v[1], name, 1)] : [checkInt(v, name, 1), v];
  }

  /** Pool each size×size window (stride defaults to size); windows past the edge are dropped. */
  function pool2d(map, h, w, size, stride, channels, isMax) {
    var c = channels || 1, sz = pair(size, 'size'), st = stride == null ? sz : pair(stride, 'stride');
    if (sz[0] > h || sz[1] > w) throw new Error('A ' + sz[0] + '×' + sz[1] + ' pooling window is larger than the ' + h + '×' + w + ' input');
    var oh = Math.floor((h - sz[0]) / st[0]) + 1, ow = Math.floor((w - sz[1]) / st[1]) + 1;
    var out = new Float64Array(oh * ow * c), n = sz[0] * sz[1];
    for (var i = 0; i < oh; i++) {
      for (var j = 0; j < ow; j++) {
        for (var ch = 0; ch < c; ch++) {
          var acc = isMax ? -Infinity : 0;
          for (var a = 0; a < sz[0]; a++) {
            for (var b = 0; b < sz[1]; b++) {
              var v = map[((i * st[0] + a) * w + j * st[1] + b) * c + ch];
              acc = isMax ? (v > acc ? v : acc) : acc + v;
            }
          }
          out[(i * ow + j) * c + ch] = isMax ? acc : acc / n;
        }
      }
    }
    return { data: out, h: oh, w: ow };
  }
  function maxPool2d(map, h, w, size, stride, channels) { return pool2d(map, h, w, size == null ? 2 : size, stride, channels, true); }
  function avgPool2d(map, h, w, size, stride, channels) { return pool2d(map, h, w, size == null ? 2 : size, stride, channels, false); }

  /** e^(s/T) / Σ e^(s/T), with the largest score subtracted first. */
  function softmax(logits, temperature) {
    var t = temperature == null ? 1 : temperature;
    if (!(t > 0)) throw new Error('temperature must be positive, got ' + t);
    if (!logits.length) throw new Error('scores is empty; pass at least one score.');
    var z = Array.from(logits, function (v) { return v / t; });
    var top = Math.max.apply(null, z), sum = 0;
    var e = z.map(function (v) { var x = Math.exp(v - top); sum += x; return x; });
    return Float64Array.from(e, function (v) { return v / sum; });
  }

  // ------------------------------------------------------------------ kernels

  function grid(size, f) {
    var rows = [];
    for (var i = 0; i < size; i++) { rows.push([]); for (var j = 0; j < size; j++) rows[i].push(f(i, j)); }
    return rows;
  }

  /** Normalised size×size Gaussian (float32 values, like utils.kernels.gaussian_kernel). */
  function gaussianKernel(size, sigma) {
    var r = Math.floor(size / 2), sum = 0;
    var g = grid(size, function (i, j) { var v = Math.exp(-((i - r) * (i - r) + (j - r) * (j - r)) / (2 * sigma * sigma)); sum += v; return v; });
    return g.map(function (row) { return row.map(function (v) { return Math.fround(v / sum); }); });
  }

  /** +1 on a ring, a negative constant inside, 0 in the corners (float32, sums to 0). */
  function circleKernel(size) {
    var r = Math.floor(size / 2), ring = 0, inside = 0;
    var d = grid(size, function (i, j) { return Math.hypot(i - r, j - r); });
    var isRing = function (v) { return v > r - 1 && v <= r + 0.25; };
    d.forEach(function (row) { row.forEach(function (v) { if (isRing(v)) ring++; else if (v <= r - 1) inside++; }); });
    return d.map(function (row) { return row.map(function (v) { return isRing(v) ? 1 : v <= r - 1 ? Math.fround(-ring / inside) : 0; }); });
  }

  var KERNELS = {
    identity: [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
    box_blur: grid(3, function () { return 1 / 9; }),
    gaussian_blur: gaussianKernel(3, 0.85),
    sharpen: [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    vertical_edge: [[1, 0, -1], [1, 0, -1], [1, 0, -1]],
    horizontal_edge: [[1, 1, 1], [0, 0, 0], [-1, -1, -1]],
    sobel_x: [[1, 0, -1], [2, 0, -2], [1, 0, -1]],
    sobel_y: [[1, 2, 1], [0, 0, 0], [-1, -2, -1]],
    laplacian: [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
    emboss: [[-2, -1, 0], [-1, 1, 1], [0, 1, 2]],
    circle: circleKernel(7)
  };

  function presets3x3(c) {
    var out = {};
    Object.keys(KERNELS).forEach(function (k) {
      var m = KERNELS[k];
      if (m.length === 3) out[k] = c > 1 ? m.map(function (row) { return row.map(function (v) { return new Array(c).fill(v); }); }) : m;
    });
    return out;
  }

  // ------------------------------------------------------------------ data decoding

  function flat(a) { return Array.isArray(a) ? a.flat(Infinity) : Array.from(a); }

  function base64Bytes(s) {
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  /** base64 of little-endian float32 (or a plain / nested JSON array) -> Float64Array. */
  function decodeFloats(v) {
    if (typeof v !== 'string') return Float64Array.from(flat(v));
    var bytes = base64Bytes(v), view = new DataView(bytes.buffer), out = new Float64Array(bytes.length >> 2);
    if (bytes.length % 4) throw new Error('float32 data must be a multiple of 4 bytes');
    for (var i = 0; i < out.length; i++) out[i] = view.getFloat32(4 * i, true);
    return out;
  }

  // ------------------------------------------------------------------ colour

  /** A 256-entry RGB look-up table, linear between the given hex colours. */
  function lut(hexes) {
    var rgb = hexes.map(function (h) { return [1, 3, 5].map(function (i) { return parseInt(h.substr(i, 2), 16); }); });
    var out = new Uint8ClampedArray(768), n = rgb.length - 1;
    for (var i = 0; i < 256; i++) {
      var t = i / 255 * n, k = Math.min(Math.floor(t), n - 1), f = t - k;
      for (var ch = 0; ch < 3; ch++) out[3 * i + ch] = Math.round(rgb[k][ch] + f * (rgb[k + 1][ch] - rgb[k][ch]));
    }
    out.stops = hexes;
    return out;
  }
  var LUTS = {
    gray: lut(['#000000', '#ffffff']),
    // diverging, colour-blind safe (ColorBrewer PuOr): negative orange, 0 white, positive purple
    puor: lut(['#7f3b08', '#b35806', '#e08214', '#fdb863', '#fee0b6', '#f7f7f7', '#d8daeb', '#b2abd2', '#8073ac', '#542788', '#2d004b']),
    // sequential, colour-blind safe (cividis-like) for maps that are never negative
    cividis: lut(['#00204d', '#31446b', '#666970', '#958f78', '#cbba69', '#ffea46'])
  };

  function lutIndex(v, lo, hi) {
    var t = hi > lo ? (v - lo) / (hi - lo) : 0.5;
    return Math.round(Math.min(Math.max(t, 0), 1) * 255);
  }

  /** Paint an h×w map onto a canvas through a LUT, [lo, hi] spanning the colours. */
  function paint(canvas, map, h, w, table, lo, hi) {
    if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
    var ctx = canvas.getContext('2d'), img = ctx.createImageData(w, h), px = img.data;
    var scale = hi > lo ? 255 / (hi - lo) : 0;
    for (var i = 0, n = w * h; i < n; i++) {
      var t = (map[i] - lo) * scale, k = 3 * (t <= 0 ? 0 : t >= 255 ? 255 : Math.round(t));
      px[4 * i] = table[k]; px[4 * i + 1] = table[k + 1]; px[4 * i + 2] = table[k + 2]; px[4 * i + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }

  /** Background and readable text colour for a table cell showing v. */
  function cellColour(el, table, v, lo, hi) {
    var k = 3 * lutIndex(v, lo, hi), rgb = [table[k], table[k + 1], table[k + 2]];
    var lum = rgb.map(function (x) { x /= 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
    var L = 0.2126 * lum[0] + 0.7152 * lum[1] + 0.0722 * lum[2];
    el.style.background = 'rgb(' + rgb.join(',') + ')';
    el.style.color = L > 0.179 ? '#000' : '#fff';
  }

  function minMax(a) {
    var lo = Infinity, hi = -Infinity;
    for (var i = 0; i < a.length; i++) { if (a[i] < lo) lo = a[i]; if (a[i] > hi) hi = a[i]; }
    return [lo, hi];
  }

  /** Round to `d` decimals and drop trailing zeros; never prints "-0". */
  function fmt(v, d) {
    var s = (+v).toFixed(d == null ? 2 : d);
    if (s.indexOf('.') >= 0) s = s.replace(/\.?0+$/, '');
    return s === '-0' ? '0' : s;
  }

  // ------------------------------------------------------------------ DOM helpers

  var uid = 0;
  function el(tag, attrs, kids) {
    var n = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (k === 'text') n.textContent = v;
      else if (k.slice(0, 2) === 'on') n.addEventListener(k.slice(2), v);
      else if (v != null && v !== false) n.setAttribute(k, v === true ? '' : v);
    });
    (kids || []).forEach(function (c) { if (c) n.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return n;
  }

  /** A visible <label> tied to a control; returns the wrapper. */
  function field(text, control, cls) {
    control.id = control.id || 'p2p-' + (++uid);
    return el('div', { class: 'p2p-field ' + (cls || '') }, [el('label', { for: control.id, text: text }), control]);
  }

  function slider(min, max, step, value, on) {
    return el('input', { type: 'range', min: min, max: max, step: step, value: value, oninput: on });
  }

  function select(names, value, on) {
    var s = el('select', { onchange: on }, names.map(function (n) { return el('option', { value: n, text: n.replace(/_/g, ' ') }); }));
    s.value = value;
    return s;
  }

  function checkbox(text, checked, on) {
    var box = el('input', { type: 'checkbox', onchange: on });
    box.checked = !!checked;
    box.id = 'p2p-' + (++uid);
    return el('div', { class: 'p2p-field p2p-check' }, [box, el('label', { for: box.id, text: text })]);
  }

  /** A captioned canvas; role=img so the live caption doubles as its description. */
  function mapPanel(title) {
    var canvas = el('canvas', { class: 'p2p-map', role: 'img', 'aria-label': title });
    var caption = el('p', { class: 'p2p-caption', text: title });
    return { box: el('figure', { class: 'p2p-panel' }, [canvas, caption]), canvas: canvas, caption: caption };
  }

  /** CSS gradient legend for a LUT with end labels. */
  function legend(table) {
    var lo = el('span'), mid = el('span'), hi = el('span');
    var bar = el('div', { class: 'p2p-legend-bar', 'aria-hidden': 'true' });
    bar.style.background = 'linear-gradient(to right,' + table.stops.join(',') + ')';
    return { box: el('div', { class: 'p2p-legend' }, [bar, el('div', { class: 'p2p-legend-labels' }, [lo, mid, hi])]),
      set: function (a, b, c) { lo.textContent = a; mid.textContent = b; hi.textContent = c; } };
  }

  /** Colour range for a map: symmetric diverging if it has negatives, else sequential from 0. */
  function scaleFor(lo, hi) {
    if (lo < 0) { var m = Math.max(-lo, hi) || 1; return { table: LUTS.puor, lo: -m, hi: m }; }
    return { table: LUTS.cividis, lo: 0, hi: hi || 1 };
  }

  // ------------------------------------------------------------------ widget: kernel editor

  function kernelEditor(box, cfg) {
    var w = checkInt(cfg.width, 'width', 1), h = checkInt(cfg.height, 'height', 1);
    var bytes = base64Bytes(cfg.pixels);
    if (bytes.length !== w * h) throw new Error('pixels has ' + bytes.length + ' bytes, expected ' + w * h);
    var image = Float64Array.from(bytes, function (b) { return b / 255; });
    var kernels = cfg.kernels || presets3x3(1), names = Object.keys(kernels);
    var lo = cfg.min == null ? -5 : cfg.min, hi = cfg.max == null ? 5 : cfg.max, step = cfg.step || 0.05;
    var preset = cfg.preset || (names.indexOf('vertical_edge') >= 0 ? 'vertical_edge' : names[0]);
    var state = { kernel: flat(cfg.kernel || kernels[preset]), relu: !!cfg.relu, pool: !!cfg.pool,
      padding: cfg.padding == null ? 'same' : cfg.padding, output: null, min: 0, max: 0 };
    if (state.kernel.length !== 9) throw new Error('the kernel editor holds a 3×3 kernel');

    var menu = select(names.concat('custom'), preset, function () {
      if (kernels[menu.value]) { state.kernel = flat(kernels[menu.value]); api.update(); }
    });
    var numbers = [], sliders = [], cells = [];
    for (var i = 0; i < 9; i++) {
      (function (i) {
        var where = 'row ' + (Math.floor(i / 3) + 1) + ', column ' + (i % 3 + 1);
        numbers[i] = el('input', { type: 'number', step: step, inputmode: 'decimal', oninput: function () {
          var v = parseFloat(numbers[i].value);
          if (isFinite(v)) { state.kernel[i] = v; api.update(); }
        } });
        sliders[i] = slider(lo, hi, step, 0, function () { state.kernel[i] = +sliders[i].value; api.update(); });
        sliders[i].setAttribute('aria-label', 'kernel ' + where + ' slider');
        cells.push(el('div', { class: 'p2p-kcell' }, [field('k[' + Math.floor(i / 3) + ',' + i % 3 + ']', numbers[i]), sliders[i]]));
      })(i);
    }
    numbers.forEach(function (n, i) { n.setAttribute('aria-label', 'kernel row ' + (Math.floor(i / 3) + 1) + ', column ' + (i % 3 + 1)); });
    var reluBox = checkbox('ReLU', state.relu, function (e) { state.relu = e.target.checked; api.update(); });
    var poolBox = checkbox('2×2 max pool', state.pool, function (e) { state.pool = e.target.checked; api.update(); });
    var input = mapPanel('input ' + h + '×' + w + ' (grayscale)'), output = mapPanel('feature map');
    var key = legend(LUTS.puor), stats = el('p', { class: 'p2p-stats', 'aria-live': 'polite' });
    box.append(
      el('div', { class: 'p2p-controls' }, [field('preset', menu), reluBox, poolBox]),
      el('fieldset', { class: 'p2p-kernel' }, [el('legend', { text: '3×3 kernel' })].concat(cells)),
      el('div', { class: 'p2p-maps' }, [input.box, output.box]), key.box, stats);
    paint(input.canvas, image, h, w, LUTS.gray, 0, 1);

    /** Which preset (if any) the kernel equals. */
    function presetOf(k) {
      return names.filter(function (n) { return flat(kernels[n]).every(function (v, i) { return v === k[i]; }); })[0] || 'custom';
    }

    function update() {
      var k = state.kernel;
      numbers.forEach(function (n, i) {
        if (n !== document.activeElement || parseFloat(n.value) !== k[i]) n.value = fmt(k[i], 4);
        if (sliders[i] !== document.activeElement) sliders[i].value = k[i];
        sliders[i].setAttribute('aria-valuetext', fmt(k[i], 4));
      });
      menu.value = presetOf(k);
      reluBox.firstChild.checked = state.relu;
      poolBox.firstChild.checked = state.pool;
      var out = conv2d(image, h, w, k, 3, 3, { padding: state.padding }), steps = ['convolution'];
      if (state.relu) { out = { data: relu(out.data), h: out.h, w: out.w }; steps.push('ReLU'); }
      if (state.pool) { out = maxPool2d(out.data, out.h, out.w, 2, 2); steps.push('2×2 max pool'); }
      var mm = minMax(out.data), m = Math.max(-mm[0], mm[1]) || 1;
      state.output = out; state.min = mm[0]; state.max = mm[1];
      paint(output.canvas, out.data, out.h, out.w, LUTS.puor, -m, m);
      var text = 'feature map ' + out.h + '×' + out.w + ' after ' + steps.join(' → ');
      output.caption.textContent = text;
      output.canvas.setAttribute('aria-label', text);
      key.set(fmt(-m, 2), '0', fmt(m, 2));
      stats.textContent = 'min ' + fmt(mm[0], 3) + ', max ' + fmt(mm[1], 3);
      stats.dataset.min = mm[0]; stats.dataset.max = mm[1];
    }
    var api = { state: state, update: update };
    return api;
  }

  // ------------------------------------------------------------------ widget: convolution stepper

  function convStepper(box, cfg) {
    var img = cfg.image, h = img.length, w = img[0].length, c = Array.isArray(img[0][0]) ? img[0][0].length : 1;
    var image = Float64Array.from(flat(img)), kernels = cfg.kernels || presets3x3(c), names = Object.keys(kernels);
    var stride = cfg.stride || 1, padding = cfg.padding == null ? 'valid' : cfg.padding;
    var state = { kernel: cfg.kernel || names[0], position: cfg.position || 0 };
    var chName = c === 3 ? ['red', 'green', 'blue'] : Array.from({ length: c }, function (_, i) { return 'channel ' + i; });
    var imgRange = minMax(image);

    var menu = select(names, state.kernel, function () { state.kernel = menu.value; api.update(); });
    var pos = slider(0, 0, 1, 0, function () { state.position = +pos.value; api.update(); });
    var move = function (d) { return function () { state.position += d; api.update(); }; };
    var prev = el('button', { type: 'button', text: '◀ Prev', onclick: move(-1) });
    var next = el('button', { type: 'button', text: 'Next ▶', onclick: move(1) });
    var views = el('div', { class: 'p2p-steps' }), status = el('p', { class: 'p2p-stats', 'aria-live': 'polite' });
    box.append(el('div', { class: 'p2p-controls' }, [field('kernel', menu), field('step', pos, 'p2p-wide'), prev, next]), status, views);

    /** An h×w table of numbers; mark(i, j) returns a class name for a cell or ''. */
    function table(title, rows, cols, value, colour, mark) {
      var body = el('tbody');
      for (var i = 0; i < rows; i++) {
        var tr = el('tr');
        for (var j = 0; j < cols; j++) {
          var v = value(i, j), td = el('td', { class: mark ? mark(i, j) : null, text: v == null ? '' : fmt(v, 2) });
          if (v != null) colour(td, v);
          tr.appendChild(td);
        }
        body.appendChild(tr);
      }
      return el('figure', { class: 'p2p-panel' }, [el('table', { class: 'p2p-grid' }, [body]), el('figcaption', { text: title })]);
    }
    function group(part, title, panels) { return el('div', { class: 'p2p-group', 'data-part': part }, [el('h4', { text: title }), el('div', { class: 'p2p-row' }, panels)]); }

    function update() {
      var kern = kernels[state.kernel], k = kern.length, kflat = flat(kern);
      if (kflat.length !== k * k * c) throw new Error('kernel ' + state.kernel + ' must be ' + k + '×' + k + (c > 1 ? '×' + c : ''));
      var full = conv2d(image, h, w, kflat, k, k, { stride: stride, padding: padding, channels: c });
      var n = full.h * full.w;
      state.position = Math.max(0, Math.min(n - 1, Math.round(state.position) || 0));
      var r = Math.floor(state.position / full.w), q = state.position % full.w;
      var pr = pads(h, k, stride, padding), pc = pads(w, k, stride, padding);
      var H = h + pr[0] + pr[1], W = w + pc[0] + pc[1], y0 = r * stride, x0 = q * stride;
      var at = function (y, x, ch) { y -= pr[0]; x -= pc[0]; return y < 0 || y >= h || x < 0 || x >= w ? 0 : image[(y * w + x) * c + ch]; };
      var kl = minMax(kflat.map(Math.abs))[1] || 1, pl = kl * (Math.max(Math.abs(imgRange[0]), Math.abs(imgRange[1])) || 1);
      var ol = Math.max(Math.abs(minMax(full.data)[0]), Math.abs(minMax(full.data)[1])) || 1;
      var div = function (lim) { return function (td, v) { cellColour(td, LUTS.puor, v, -lim, lim); }; };
      var gray = function (td, v) { cellColour(td, LUTS.gray, v, imgRange[0], imgRange[1]); };
      var ins = [], ks = [], ps = [], sums = [], products = [], total = 0;
      for (var ch = 0; ch < c; ch++) {
        (function (ch) {
          var sub = c > 1 ? ' (' + chName[ch] + ')' : '', s = 0;
          var prod = function (a, b) { return at(y0 + a, x0 + b, ch) * kflat[(a * k + b) * c + ch]; };
          for (var a = 0; a < k; a++) for (var b = 0; b < k; b++) { s += prod(a, b); products.push(prod(a, b)); }
          sums.push(s); total += s;
          ins.push(table('input' + sub + (H > h || W > w ? ', zero padding dashed' : ''), H, W, function (y, x) { return at(y, x, ch); }, gray, function (y, x) {
            var inWin = y >= y0 && y < y0 + k && x >= x0 && x < x0 + k;
            var pad = y < pr[0] || y >= h + pr[0] || x < pc[0] || x >= w + pc[0];
            return (inWin ? 'p2p-win' : '') + (pad ? ' p2p-pad' : '');
          }));
          ks.push(table('kernel' + sub, k, k, function (a, b) { return kflat[(a * k + b) * c + ch]; }, div(kl)));
          ps.push(table('window × kernel' + sub + ': sum ' + fmt(s, 2), k, k, prod, div(pl)));
        })(ch);
      }
      state.products = products; state.sums = sums; state.sum = total; state.row = r; state.col = q;
      state.output = full;
      var sumText = c > 1 ? sums.map(function (s, i) { return chName[i] + ' ' + fmt(s, 2); }).join(' + ') + ' = ' + fmt(total, 2)
        : 'sum of the ' + k * k + ' products = ' + fmt(total, 2);
      var outTable = table('output ' + full.h + '×' + full.w, full.h, full.w, function (i, j) {
        return i * full.w + j <= state.position ? full.data[i * full.w + j] : null;
      }, div(ol), function (i, j) { return i === r && j === q ? 'p2p-win' : ''; });
      views.replaceChildren(group('input', 'input, window outlined', ins), group('kernel', 'kernel', ks),
        group('products', 'window × kernel, element by element', ps), el('p', { class: 'p2p-sum', text: sumText }),
        group('output', 'output map', [outTable]));
      pos.max = n - 1; pos.value = state.position;
      pos.setAttribute('aria-valuetext', 'step ' + (state.position + 1) + ' of ' + n);
      prev.disabled = state.position === 0; next.disabled = state.position === n - 1;
      menu.value = state.kernel;
      status.textContent = 'Step ' + (state.position + 1) + ' of ' + n + ': output cell (row ' + r + ', column ' + q + ') = ' + fmt(total, 2);
      status.dataset.sum = total;
    }
    var api = { state: state, update: update };
    return api;
  }

  // ------------------------------------------------------------------ widget: pooling explorer

  function poolingExplorer(box, cfg) {
    var h = checkInt(cfg.h, 'h', 1), w = checkInt(cfg.w, 'w', 1), map = decodeFloats(cfg.values);
    if (map.length !== h * w) throw new Error('values has ' + map.length + ' numbers, expected ' + h * w);
    var most = Math.min(cfg.max_size || 8, h, w);
    var state = { size: cfg.size || 2, stride: cfg.stride || cfg.size || 2, mode: cfg.mode || 'max', output: null };
    var size = slider(1, most, 1, state.size, function () { state.size = +size.value; api.update(); });
    var stride = slider(1, cfg.max_size || 8, 1, state.stride, function () { state.stride = +stride.value; api.update(); });
    var sizeOut = el('output'), strideOut = el('output'), modes = {}, name = 'p2p-mode-' + (++uid);
    var modeSet = el('fieldset', { class: 'p2p-radios' }, [el('legend', { text: 'mode' })].concat(['max', 'average'].map(function (m) {
      modes[m] = el('input', { type: 'radio', name: name, value: m, onchange: function () { state.mode = m; api.update(); } });
      modes[m].id = name + '-' + m;
      return el('span', {}, [modes[m], el('label', { for: modes[m].id, text: m })]);
    })));
    var input = mapPanel('feature map ' + h + '×' + w + ' = ' + (h * w).toLocaleString('en') + ' values'), output = mapPanel('pooled');
    var range = minMax(map), sc = scaleFor(range[0], range[1]), key = legend(sc.table);
    var stats = el('p', { class: 'p2p-stats', 'aria-live': 'polite' });
    box.append(el('div', { class: 'p2p-controls' }, [
      el('div', { class: 'p2p-field' }, [field('window', size), sizeOut]), el('div', { class: 'p2p-field' }, [field('stride', stride), strideOut]), modeSet]),
    el('div', { class: 'p2p-maps' }, [input.box, output.box]), key.box, stats);
    paint(input.canvas, map, h, w, sc.table, sc.lo, sc.hi);
    key.set(fmt(sc.lo, 2), sc.lo < 0 ? '0' : '', fmt(sc.hi, 2));

    function update() {
      size.value = state.size; stride.value = state.stride; modes[state.mode].checked = true;
      sizeOut.textContent = state.size + '×' + state.size; strideOut.textContent = String(state.stride);
      var out = (state.mode === 'max' ? maxPool2d : avgPool2d)(map, h, w, state.size, state.stride);
      state.output = out;
      paint(output.canvas, out.data, out.h, out.w, sc.table, sc.lo, sc.hi);
      var mm = minMax(out.data), kept = Math.round(100 * out.data.length / map.length);
      var text = state.mode + ' pool ' + state.size + '×' + state.size + ', stride ' + state.stride + ': ' + out.h + '×' + out.w + ' (' + kept + '% of the values)';
      output.caption.textContent = text;
      output.canvas.setAttribute('aria-label', text);
      stats.textContent = h + '×' + w + ' → ' + out.h + '×' + out.w + '; pooled values from ' + fmt(mm[0], 3) + ' to ' + fmt(mm[1], 3);
      stats.dataset.min = mm[0]; stats.dataset.max = mm[1];
    }
    var api = { state: state, update: update };
    return api;
  }

  // ------------------------------------------------------------------ widget: softmax explorer

  function softmaxExplorer(box, cfg) {
    var classes = cfg.classes || ['cat', 'dog', 'bird', 'fish'];
    if (classes.length < 2 || classes.length > 10) throw new Error('pass between 2 and 10 classes');
    var start = (cfg.logits || [2, 1, 0.1, -1].slice(0, classes.length)).slice();
    while (start.length < classes.length) start.push(0);
    var state = { logits: start, temperature: cfg.temperature || 1, probabilities: null };
    var lmin = cfg.logit_min == null ? -5 : cfg.logit_min, lmax = cfg.logit_max == null ? 5 : cfg.logit_max;
    var sliders = [], outs = [], bars = [], pcts = [], rows = [];
    var controls = classes.map(function (name, i) {
      sliders[i] = slider(lmin, lmax, cfg.logit_step || 0.1, start[i], function () { state.logits[i] = +sliders[i].value; api.update(); });
      outs[i] = el('output');
      return el('div', { class: 'p2p-field' }, [field('score for ' + name, sliders[i]), outs[i]]);
    });
    var temp = slider(-1, 1, 0.05, Math.log10(state.temperature), function () { state.temperature = Math.pow(10, +temp.value); api.update(); });
    var tempOut = el('output');
    var list = el('ul', { class: 'p2p-bars', 'aria-label': 'probabilities' }, classes.map(function (name, i) {
      bars[i] = el('span', { class: 'p2p-bar' });
      pcts[i] = el('span', { class: 'p2p-pct' });
      rows[i] = el('li', {}, [el('span', { class: 'p2p-bar-name', text: name }), el('span', { class: 'p2p-bar-track', 'aria-hidden': 'true' }, [bars[i]]), pcts[i]]);
      return rows[i];
    }));
    var stats = el('p', { class: 'p2p-stats', 'aria-live': 'polite' });
    box.append(el('div', { class: 'p2p-controls p2p-column' }, controls.concat(el('div', { class: 'p2p-field' }, [field('temperature', temp), tempOut]))), list, stats);

    function update() {
      var p = softmax(state.logits, state.temperature), best = 0;
      state.probabilities = p;
      p.forEach(function (v, i) { if (v > p[best]) best = i; });
      classes.forEach(function (name, i) {
        if (sliders[i] !== document.activeElement) sliders[i].value = state.logits[i];
        outs[i].textContent = fmt(state.logits[i], 2);
        bars[i].style.width = (100 * p[i]).toFixed(2) + '%';
        pcts[i].textContent = fmt(100 * p[i], 1) + '%' + (i === best ? ' (prediction)' : '');
        pcts[i].dataset.p = p[i];
        rows[i].className = i === best ? 'p2p-best' : '';
      });
      temp.value = Math.log10(state.temperature);
      tempOut.textContent = fmt(state.temperature, 2);
      temp.setAttribute('aria-valuetext', fmt(state.temperature, 2));
      stats.textContent = 'softmax at temperature ' + fmt(state.temperature, 2) + ': prediction ' + classes[best] + ' (' + fmt(100 * p[best], 1) + '%)';
    }
    var api = { state: state, update: update };
    return api;
  }

  // ------------------------------------------------------------------ mounting

  var WIDGETS = { 'kernel-editor': kernelEditor, 'conv-stepper': convStepper, 'pooling-explorer': poolingExplorer, 'softmax-explorer': softmaxExplorer };

  /** Build the widget of one div.p2p-live; on any error leave the snapshot and log why. */
  function mount(root) {
    if (root.dataset.p2pStatus) return root.p2p;
    var name = root.getAttribute('data-widget'), box = null;
    try {
      if (!WIDGETS[name]) throw new Error('no widget called "' + name + '"');
      var script = root.querySelector('script.p2p-config');
      var cfg = script ? JSON.parse(script.textContent) : {};
      box = el('div', { class: 'p2p-widget p2p-' + name, role: 'group', 'aria-label': 'interactive ' + name.replace(/-/g, ' ') });
      root.appendChild(box);
      var api = WIDGETS[name](box, cfg, root), render = api.update;
      api.update = function () {
        var t0 = performance.now();
        render();
        root.dataset.lastUpdateMs = (performance.now() - t0).toFixed(3);
      };
      api.update();
      root.querySelectorAll('img, .p2p-fallback').forEach(function (n) {
        if (!box.contains(n)) { n.hidden = true; n.style.display = 'none'; }
      });
      root.p2p = api;
      root.dataset.p2pStatus = 'ready';
      return api;
    } catch (err) {
      if (box) box.remove();
      root.dataset.p2pStatus = 'failed';
      console.error('p2p-widgets: the "' + name + '" widget could not start, so its snapshot stays. ' + err);
      return null;
    }
  }

  function init(scope) {
    (scope || document).querySelectorAll('div.p2p-live[data-widget]').forEach(mount);
  }

  window.P2P = {
    conv2d: conv2d, relu: relu, maxPool2d: maxPool2d, avgPool2d: avgPool2d, softmax: softmax,
    samePadding: samePadding, gaussianKernel: gaussianKernel, circleKernel: circleKernel, KERNELS: KERNELS,
    decodeFloats: decodeFloats, base64Bytes: base64Bytes, LUTS: LUTS, fmt: fmt, widgets: WIDGETS, mount: mount, init: init
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', function () { init(); });
  else init();
})();

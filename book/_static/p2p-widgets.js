/* Pixels to Probabilities: live "Try it" widgets for the static book (ES2017, no dependencies).
 * Markup: <div class="p2p-live" data-widget="NAME"> <img alt="..." src="snapshot.png">
 *   <script type="application/json" class="p2p-config">{...}</script> </div>  (write "</" as "<\/")
 * On DOMContentLoaded each div.p2p-live[data-widget] is built and its <img> hidden; on any error
 * the snapshot stays. The element gets .p2p = {state, update()}, data-p2p-status ("ready" or
 * "failed") and data-last-update-ms (duration of the last update).
 *
 * Config schemas (? = optional, default after "=").
 * kernel-editor: width, height: int; pixels: base64 of height*width uint8, row-major
 *   (value = byte / 255); preset? = "vertical_edge"; kernel?: number[3][3] (wins over preset);
 *   kernels?: {name: number[3][3]} = the 3×3 kernels of utils/kernels.py;
 *   padding?: "same" | "valid" | int = "same"; relu?, pool?: bool = false;
 *   min?, max?, step?: slider range of each cell = -5, 5, 0.05
 * conv-stepper: image: number[H][W] or number[H][W][C] (small, ≤ 12×12);
 *   kernels?: {name: number[k][k] or number[k][k][C]} = the 3×3 presets (same on each channel);
 *   kernel?: name = first; position?: int = 0; stride?: int = 1; padding? = "valid"
 * pooling-explorer: h, w: int; values: base64 of h*w little-endian float32, or number[] /
 *   number[h][w]; size?: int = 2; stride?: int = size; mode?: "max" | "average"; max_size? = 8
 * softmax-explorer: classes: string[] (2–10); logits?: number[] = [2, 1, 0.1, -1, 0, ...];
 *   temperature? = 1 (slider over log10 T in [-1, 1]); logit_min?, logit_max?, logit_step? = -5, 5, 0.1
 */
(function () {
  'use strict';

  // ---- numerics: as utils/conv.py, utils/pooling.py, utils/activations.py ----

  const checkInt = (v, name, min) => {
    if (!Number.isInteger(v) || v < min) throw new Error(`${name} must be an int >= ${min}, got ${v}`);
    return v;
  };

  /** Zeros [before, after] for TF's "same" padding: output ceil(n / stride), odd zero after. */
  function samePadding(n, k, stride) {
    const total = Math.max((Math.ceil(n / stride) - 1) * stride + k - n, 0);
    return [Math.floor(total / 2), total - Math.floor(total / 2)];
  }

  function pads(n, k, stride, padding) {
    if (padding === 'same') return samePadding(n, k, stride);
    if (padding === 'valid' || padding == null) return [0, 0];
    return [checkInt(padding, 'padding', 0), padding];
  }

  /** Cross-correlation (no flip) of an h×w×C image with a kh×kw×C kernel, flat and channel-last. */
  function conv2d(image, h, w, kernel, kh, kw, opts = {}) {
    const s = checkInt(opts.stride == null ? 1 : opts.stride, 'stride', 1), c = opts.channels || 1;
    if (image.length !== h * w * c || kernel.length !== kh * kw * c) throw new Error('image or kernel of the wrong size');
    const pr = pads(h, kh, s, opts.padding), pc = pads(w, kw, s, opts.padding);
    const H = h + pr[0] + pr[1], W = w + pc[0] + pc[1];
    if (kh > H || kw > W) throw new Error(`A ${kh}×${kw} kernel does not fit a ${H}×${W} input`);
    const oh = Math.floor((H - kh) / s) + 1, ow = Math.floor((W - kw) / s) + 1;
    const out = new Float64Array(oh * ow);
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        let acc = 0;
        for (let a = 0; a < kh; a++) {
          const y = i * s + a - pr[0];
          if (y < 0 || y >= h) continue;
          for (let b = 0; b < kw; b++) {
            const x = j * s + b - pc[0];
            if (x < 0 || x >= w) continue;
            const p = (y * w + x) * c, q = (a * kw + b) * c;
            for (let ch = 0; ch < c; ch++) acc += image[p + ch] * kernel[q + ch];
          }
        }
        out[i * ow + j] = acc;
      }
    }
    return { data: out, h: oh, w: ow };
  }

  const relu = (x) => Float64Array.from(x, (v) => (v > 0 ? v : 0));

  const pair = (v, name) => (Array.isArray(v) ? v : [v, v]).map((x) => checkInt(x, name, 1));

  /** Pool size×size windows (stride defaults to size); windows sticking out are dropped. */
  function pool2d(map, h, w, size, stride, channels, isMax) {
    const c = channels || 1, sz = pair(size, 'size'), st = stride == null ? sz : pair(stride, 'stride');
    if (sz[0] > h || sz[1] > w) throw new Error(`A ${sz[0]}×${sz[1]} pooling window is larger than the ${h}×${w} input`);
    const oh = Math.floor((h - sz[0]) / st[0]) + 1, ow = Math.floor((w - sz[1]) / st[1]) + 1;
    const out = new Float64Array(oh * ow * c);
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        for (let ch = 0; ch < c; ch++) {
          let acc = isMax ? -Infinity : 0;
          for (let a = 0; a < sz[0]; a++) {
            for (let b = 0; b < sz[1]; b++) {
              const v = map[((i * st[0] + a) * w + j * st[1] + b) * c + ch];
              acc = isMax ? (v > acc ? v : acc) : acc + v;
            }
          }
          out[(i * ow + j) * c + ch] = isMax ? acc : acc / (sz[0] * sz[1]);
        }
      }
    }
    return { data: out, h: oh, w: ow };
  }
  const maxPool2d = (map, h, w, size = 2, stride, channels) => pool2d(map, h, w, size, stride, channels, true);
  const avgPool2d = (map, h, w, size = 2, stride, channels) => pool2d(map, h, w, size, stride, channels, false);

  /** e^(s/T) / Σ e^(s/T), the largest s/T subtracted first so exp cannot overflow. */
  function softmax(logits, temperature = 1) {
    if (!(temperature > 0)) throw new Error(`temperature must be positive, got ${temperature}`);
    if (!logits.length) throw new Error('scores is empty; pass at least one score.');
    const z = Array.from(logits, (v) => v / temperature), top = Math.max(...z);
    const e = z.map((v) => Math.exp(v - top)), sum = e.reduce((a, b) => a + b, 0);
    return Float64Array.from(e, (v) => v / sum);
  }

  // ---- kernels (utils/kernels.py) ----

  /** rows×cols nested array of f(i, j). */
  const grid = (rows, f, cols = rows) => Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => f(i, j)));
  /** Nested arrays -> one flat array (Array.prototype.flat is ES2019). */
  const flat = (a) => (Array.isArray(a) ? [].concat(...a.map(flat)) : [a]);

  /** Normalised size×size Gaussian, float32 values like utils.kernels.gaussian_kernel. */
  function gaussianKernel(size, sigma) {
    const r = Math.floor(size / 2);
    const g = grid(size, (i, j) => Math.exp(-((i - r) ** 2 + (j - r) ** 2) / (2 * sigma * sigma)));
    const sum = g.reduce((a, row) => a + row.reduce((x, y) => x + y, 0), 0);
    return g.map((row) => row.map((v) => Math.fround(v / sum)));
  }

  /** +1 on a ring, a negative constant inside, 0 in the corners: sums to 0 (float32). */
  function circleKernel(size) {
    const r = Math.floor(size / 2), d = grid(size, (i, j) => Math.hypot(i - r, j - r));
    const ring = (v) => v > r - 1 && v <= r + 0.25, count = (f) => flat(d).filter(f).length;
    const inside = Math.fround(-count(ring) / count((v) => v <= r - 1));
    return d.map((row) => row.map((v) => (ring(v) ? 1 : v <= r - 1 ? inside : 0)));
  }

  const KERNELS = {
    identity: [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
    box_blur: grid(3, () => 1 / 9),
    gaussian_blur: gaussianKernel(3, 0.85),
    sharpen: [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    vertical_edge: [[1, 0, -1], [1, 0, -1], [1, 0, -1]],
    horizontal_edge: [[1, 1, 1], [0, 0, 0], [-1, -1, -1]],
    sobel_x: [[1, 0, -1], [2, 0, -2], [1, 0, -1]],
    sobel_y: [[1, 2, 1], [0, 0, 0], [-1, -2, -1]],
    laplacian: [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
    emboss: [[-2, -1, 0], [-1, 1, 1], [0, 1, 2]],
    circle: circleKernel(7),
  };

  /** The 3×3 kernels, each repeated over c channels when c > 1. */
  function presets3x3(c) {
    const out = {};
    for (const [name, m] of Object.entries(KERNELS)) {
      if (m.length === 3) out[name] = c > 1 ? m.map((row) => row.map((v) => new Array(c).fill(v))) : m;
    }
    return out;
  }

  // ---- data decoding ----

  function base64Bytes(s) {
    const bin = atob(s);
    return Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
  }

  /** base64 of little-endian float32, or a (nested) JSON array -> Float64Array. */
  function decodeFloats(v) {
    if (typeof v !== 'string') return Float64Array.from(flat(v));
    const bytes = base64Bytes(v), view = new DataView(bytes.buffer);
    return Float64Array.from({ length: bytes.length / 4 }, (_, i) => view.getFloat32(4 * i, true));
  }

  // ---- colour ----

  /** A 256-entry RGB look-up table, linear between the given hex colours. */
  function lut(hexes) {
    const rgb = hexes.map((h) => [1, 3, 5].map((i) => parseInt(h.substr(i, 2), 16)));
    const out = new Uint8ClampedArray(768), n = rgb.length - 1;
    for (let i = 0; i < 256; i++) {
      const t = (i / 255) * n, k = Math.min(Math.floor(t), n - 1), f = t - k;
      for (let ch = 0; ch < 3; ch++) out[3 * i + ch] = Math.round(rgb[k][ch] + f * (rgb[k + 1][ch] - rgb[k][ch]));
    }
    out.stops = hexes;
    return out;
  }
  const LUTS = {
    gray: lut(['#000000', '#ffffff']),
    // diverging, colour-blind safe (ColorBrewer PuOr): < 0 orange, 0 white, > 0 purple
    puor: lut(['#7f3b08', '#b35806', '#e08214', '#fdb863', '#fee0b6', '#f7f7f7', '#d8daeb', '#b2abd2', '#8073ac', '#542788', '#2d004b']),
    // sequential, colour-blind safe (cividis-like), for maps without negatives
    cividis: lut(['#00204d', '#31446b', '#666970', '#958f78', '#cbba69', '#ffea46']),
  };

  /** Paint an h×w map on a canvas through a LUT; [lo, hi] spans the colours. */
  function paint(canvas, map, h, w, table, lo, hi) {
    if (canvas.width !== w || canvas.height !== h) Object.assign(canvas, { width: w, height: h });
    const ctx = canvas.getContext('2d'), img = ctx.createImageData(w, h), px = img.data;
    const scale = hi > lo ? 255 / (hi - lo) : 0;
    for (let i = 0, n = w * h; i < n; i++) {
      const t = (map[i] - lo) * scale, k = 3 * (t <= 0 ? 0 : t >= 255 ? 255 : Math.round(t));
      px[4 * i] = table[k]; px[4 * i + 1] = table[k + 1]; px[4 * i + 2] = table[k + 2]; px[4 * i + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }

  /** Colour a table cell for v; black or white text, for contrast. */
  function cellColour(td, table, v, lo, hi) {
    const k = 3 * Math.round(Math.min(Math.max(hi > lo ? (v - lo) / (hi - lo) : 0.5, 0), 1) * 255);
    const rgb = [table[k], table[k + 1], table[k + 2]];
    const lin = rgb.map((x) => (x /= 255) <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4);
    td.style.background = `rgb(${rgb})`;
    td.style.color = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2] > 0.179 ? '#000' : '#fff';
  }

  function minMax(a) {
    let lo = Infinity, hi = -Infinity;
    for (const v of a) { if (v < lo) lo = v; if (v > hi) hi = v; }
    return [lo, hi];
  }

  /** Round to d decimals, drop trailing zeros, never print "-0". */
  function fmt(v, d = 2) {
    let s = (+v).toFixed(d);
    if (s.includes('.')) s = s.replace(/\.?0+$/, '');
    return s === '-0' ? '0' : s;
  }

  // ---- DOM helpers ----

  let uid = 0;
  /** createElement with attributes ("text", "on<event>" handlers) and children. */
  function el(tag, attrs = {}, kids = []) {
    const n = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === 'text') n.textContent = v;
      else if (k.startsWith('on')) n.addEventListener(k.slice(2), v);
      else if (v != null && v !== false) n.setAttribute(k, v === true ? '' : v);
    }
    for (const c of kids) if (c) n.append(c);
    return n;
  }

  /** A control with a visible <label> tied to it. */
  function field(text, control, cls = '') {
    control.id = control.id || `p2p-${++uid}`;
    return el('div', { class: `p2p-field ${cls}` }, [el('label', { for: control.id, text }), control]);
  }

  const slider = (min, max, step, value, oninput) => el('input', { type: 'range', min, max, step, value, oninput });

  function select(names, value, onchange) {
    const s = el('select', { onchange }, names.map((n) => el('option', { value: n, text: n.replace(/_/g, ' ') })));
    s.value = value;
    return s;
  }

  function checkbox(text, onchange) {
    const box = el('input', { type: 'checkbox', id: `p2p-${++uid}`, onchange });
    return { box, field: el('div', { class: 'p2p-field p2p-check' }, [box, el('label', { for: box.id, text })]) };
  }

  /** A captioned canvas (role=img) whose label follows the caption. */
  function mapPanel(title) {
    const canvas = el('canvas', { class: 'p2p-map', role: 'img', 'aria-label': title });
    const caption = el('p', { class: 'p2p-caption', text: title });
    const describe = (t) => { caption.textContent = t; canvas.setAttribute('aria-label', t); };
    return { box: el('figure', { class: 'p2p-panel' }, [canvas, caption]), canvas, describe };
  }

  /** Gradient legend of a LUT, with three labels under it. */
  function legend(table) {
    const labels = [el('span'), el('span'), el('span')];
    const bar = el('div', { class: 'p2p-legend-bar', 'aria-hidden': 'true' });
    bar.style.background = `linear-gradient(to right,${table.stops})`;
    return {
      box: el('div', { class: 'p2p-legend' }, [bar, el('div', { class: 'p2p-legend-labels' }, labels)]),
      set: (...texts) => texts.forEach((t, i) => { labels[i].textContent = t; }),
    };
  }

  const statsLine = () => el('p', { class: 'p2p-stats', 'aria-live': 'polite' });

  // ---- widget: kernel editor: pixels -> 3×3 convolution -> ReLU? -> 2×2 max pool? ----

  function kernelEditor(box, cfg) {
    const { width: w, height: h } = cfg, bytes = base64Bytes(cfg.pixels);
    if (!(w * h > 0) || bytes.length !== w * h) throw new Error(`pixels: ${bytes.length} bytes for ${w}×${h}`);
    const image = Float64Array.from(bytes, (b) => b / 255);
    const kernels = cfg.kernels || presets3x3(1), names = Object.keys(kernels);
    const { min = -5, max = 5, step = 0.05 } = cfg;
    const preset = cfg.preset || (kernels.vertical_edge ? 'vertical_edge' : names[0]);
    const state = { kernel: flat(cfg.kernel || kernels[preset]), relu: !!cfg.relu, pool: !!cfg.pool,
      padding: cfg.padding == null ? 'same' : cfg.padding, output: null, min: 0, max: 0 };
    if (state.kernel.length !== 9) throw new Error('the kernel editor holds a 3×3 kernel');
    const set = (key, value) => { state[key] = value; api.update(); };
    const menu = select(names.concat('custom'), preset, () => kernels[menu.value] && set('kernel', flat(kernels[menu.value])));
    const numbers = [], sliders = [], cells = [];
    for (let i = 0; i < 9; i++) {
      const where = `kernel row ${Math.floor(i / 3) + 1}, column ${(i % 3) + 1}`;
      numbers[i] = el('input', { type: 'number', step, inputmode: 'decimal', 'aria-label': where, oninput() {
        const v = parseFloat(numbers[i].value);
        if (isFinite(v)) { state.kernel[i] = v; api.update(); }
      } });
      sliders[i] = slider(min, max, step, 0, () => { state.kernel[i] = +sliders[i].value; api.update(); });
      sliders[i].setAttribute('aria-label', `${where} slider`);
      cells.push(el('div', { class: 'p2p-kcell' }, [field(`k[${Math.floor(i / 3)},${i % 3}]`, numbers[i]), sliders[i]]));
    }
    const reluBox = checkbox('ReLU', (e) => set('relu', e.target.checked));
    const poolBox = checkbox('2×2 max pool', (e) => set('pool', e.target.checked));
    const input = mapPanel(`input ${h}×${w} (grayscale)`), output = mapPanel('feature map');
    const key = legend(LUTS.puor), stats = statsLine();
    box.append(
      el('div', { class: 'p2p-controls' }, [field('preset', menu), reluBox.field, poolBox.field]),
      el('fieldset', { class: 'p2p-kernel' }, [el('legend', { text: '3×3 kernel' }), ...cells]),
      el('div', { class: 'p2p-maps' }, [input.box, output.box]), key.box, stats);
    paint(input.canvas, image, h, w, LUTS.gray, 0, 1);

    const presetOf = (k) => names.find((n) => flat(kernels[n]).every((v, i) => v === k[i])) || 'custom';

    function update() {
      const k = state.kernel, active = document.activeElement;
      numbers.forEach((n, i) => {
        if (n !== active || parseFloat(n.value) !== k[i]) n.value = fmt(k[i], 4);  // keep what is being typed
        if (sliders[i] !== active) sliders[i].value = k[i];
        sliders[i].setAttribute('aria-valuetext', fmt(k[i], 4));
      });
      menu.value = presetOf(k);
      reluBox.box.checked = state.relu;
      poolBox.box.checked = state.pool;
      let out = conv2d(image, h, w, k, 3, 3, { padding: state.padding });
      const steps = ['convolution'];
      if (state.relu) { out = { data: relu(out.data), h: out.h, w: out.w }; steps.push('ReLU'); }
      if (state.pool) { out = maxPool2d(out.data, out.h, out.w, 2, 2); steps.push('2×2 max pool'); }
      const [lo, hi] = minMax(out.data), m = Math.max(-lo, hi) || 1;
      Object.assign(state, { output: out, min: lo, max: hi });
      paint(output.canvas, out.data, out.h, out.w, LUTS.puor, -m, m);
      output.describe(`feature map ${out.h}×${out.w} after ${steps.join(' → ')}`);
      key.set(fmt(-m), '0', fmt(m));
      stats.textContent = `min ${fmt(lo, 3)}, max ${fmt(hi, 3)}`;
      Object.assign(stats.dataset, { min: lo, max: hi });
    }
    const api = { state, update };
    return api;
  }

  // ---- widget: convolution stepper: window, window × kernel, sum, output filling in ----

  function convStepper(box, cfg) {
    const img = cfg.image, h = img.length, w = img[0].length, c = Array.isArray(img[0][0]) ? img[0][0].length : 1;
    const image = Float64Array.from(flat(img)), [imgLo, imgHi] = minMax(image);
    const kernels = cfg.kernels || presets3x3(c), names = Object.keys(kernels);
    const stride = cfg.stride || 1, padding = cfg.padding == null ? 'valid' : cfg.padding;
    const state = { kernel: cfg.kernel || names[0], position: cfg.position || 0 };
    const chName = c === 3 ? ['red', 'green', 'blue'] : Array.from({ length: c }, (_, i) => (c > 1 ? `channel ${i}` : ''));

    const menu = select(names, state.kernel, () => { state.kernel = menu.value; api.update(); });
    const pos = slider(0, 0, 1, 0, () => { state.position = +pos.value; api.update(); });
    const move = (d) => () => { state.position += d; api.update(); };
    // never disabled (focus would be lost at either end); the position is clamped instead
    const prev = el('button', { type: 'button', text: '◀ Prev', onclick: move(-1) });
    const next = el('button', { type: 'button', text: 'Next ▶', onclick: move(1) });
    const views = el('div', { class: 'p2p-steps' }), status = statsLine();
    box.append(el('div', { class: 'p2p-controls' }, [field('kernel', menu), field('step', pos, 'p2p-wide'),
      el('div', { class: 'p2p-buttons' }, [prev, next])]), status, views);

    /** Table of value(i, j) (null: empty cell), coloured by colour(td, v), classes from mark(i, j). */
    function table(title, rows, cols, value, colour, mark = () => null) {
      const body = grid(rows, (i, j) => {
        const v = value(i, j), td = el('td', { class: mark(i, j), text: v == null ? '' : fmt(v) });
        if (v != null) colour(td, v);
        return td;
      }, cols).map((tds) => el('tr', {}, tds));
      return el('figure', { class: 'p2p-panel' }, [el('table', { class: 'p2p-grid' }, [el('tbody', {}, body)]), title && el('figcaption', { text: title })]);
    }
    const group = (part, title, panels) => el('div', { class: 'p2p-group', 'data-part': part },
      [el('p', { class: 'p2p-group-title', text: title }), el('div', { class: 'p2p-row' }, panels)]);
    const diverging = (lim) => (td, v) => cellColour(td, LUTS.puor, v, -lim, lim);
    const absMax = (a) => Math.max(...minMax(a).map(Math.abs)) || 1;

    function update() {
      const kern = kernels[state.kernel], k = kern.length, kf = flat(kern);
      if (kf.length !== k * k * c) throw new Error(`kernel ${state.kernel} must be k×k×${c}`);
      const full = conv2d(image, h, w, kf, k, k, { stride, padding, channels: c }), n = full.h * full.w;
      const p = (state.position = Math.max(0, Math.min(n - 1, Math.round(state.position) || 0)));
      const r = Math.floor(p / full.w), q = p % full.w;
      const pr = pads(h, k, stride, padding), pc = pads(w, k, stride, padding);
      const H = h + pr[0] + pr[1], W = w + pc[0] + pc[1], y0 = r * stride, x0 = q * stride;
      const isPad = (y, x) => y < pr[0] || y >= h + pr[0] || x < pc[0] || x >= w + pc[0];
      const at = (y, x, ch) => (isPad(y, x) ? 0 : image[((y - pr[0]) * w + x - pc[0]) * c + ch]);
      const kLim = absMax(kf), pLim = kLim * (Math.max(Math.abs(imgLo), Math.abs(imgHi)) || 1);
      const gray = (td, v) => cellColour(td, LUTS.gray, v, imgLo, imgHi);
      const ins = [], ks = [], ps = [], sums = [], products = [];
      for (let ch = 0; ch < c; ch++) {
        const prod = (a, b) => at(y0 + a, x0 + b, ch) * kf[(a * k + b) * c + ch];
        let s = 0;
        for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) { s += prod(a, b); products.push(prod(a, b)); }
        sums.push(s);
        ins.push(table(chName[ch], H, W, (y, x) => at(y, x, ch), gray, (y, x) => {
          const inWindow = y >= y0 && y < y0 + k && x >= x0 && x < x0 + k;
          return [inWindow && 'p2p-win', isPad(y, x) && 'p2p-pad'].filter(Boolean).join(' ') || null;
        }));
        ks.push(table(chName[ch], k, k, (a, b) => kf[(a * k + b) * c + ch], diverging(kLim)));
        ps.push(table(c > 1 && `${chName[ch]} sum ${fmt(s)}`, k, k, prod, diverging(pLim)));
      }
      const total = sums.reduce((a, b) => a + b, 0);
      Object.assign(state, { products, sums, sum: total, row: r, col: q, output: full });
      const sumText = c > 1 ? `${sums.map((s, i) => `${chName[i]} ${fmt(s)}`).join(' + ')} = ${fmt(total)}`
        : `sum of the ${k * k} products = ${fmt(total)}`;
      const outTable = table(`output ${full.h}×${full.w}`, full.h, full.w,
        (i, j) => (i * full.w + j <= p ? full.data[i * full.w + j] : null),
        diverging(absMax(full.data)), (i, j) => (i === r && j === q ? 'p2p-win' : null));
      views.textContent = '';
      views.append(
        group('input', `input, window outlined${H > h || W > w ? ', zero padding dashed' : ''}`, ins),
        group('kernel', 'kernel', ks), group('products', 'window × kernel, element by element', ps),
        el('p', { class: 'p2p-sum', text: sumText }), group('output', 'output map', [outTable]));
      pos.max = n - 1;
      pos.value = p;
      pos.setAttribute('aria-valuetext', `step ${p + 1} of ${n}`);
      menu.value = state.kernel;
      status.textContent = `Step ${p + 1} of ${n}: output cell (row ${r}, column ${q}) = ${fmt(total)}`;
      status.dataset.sum = total;
    }
    const api = { state, update };
    return api;
  }

  // ---- widget: pooling explorer ----

  function poolingExplorer(box, cfg) {
    const { h, w } = cfg, map = decodeFloats(cfg.values);
    if (!(h * w > 0) || map.length !== h * w) throw new Error(`values: ${map.length} numbers for ${h}×${w}`);
    const most = cfg.max_size || 8;
    const state = { size: cfg.size || 2, stride: cfg.stride || cfg.size || 2, mode: cfg.mode || 'max', output: null };
    const set = (key, value) => { state[key] = value; api.update(); };
    const size = slider(1, Math.min(most, h, w), 1, state.size, () => set('size', +size.value));
    const stride = slider(1, most, 1, state.stride, () => set('stride', +stride.value));
    const sizeOut = el('output'), strideOut = el('output'), modes = {}, name = `p2p-mode-${++uid}`;
    const radios = ['max', 'average'].map((m) => {
      modes[m] = el('input', { type: 'radio', name, value: m, id: `${name}-${m}`, onchange: () => set('mode', m) });
      return el('span', {}, [modes[m], el('label', { for: modes[m].id, text: m })]);
    });
    const input = mapPanel(`feature map ${h}×${w} = ${(h * w).toLocaleString('en')} values`), output = mapPanel('pooled');
    const [lo, hi] = minMax(map), m = Math.max(-lo, hi) || 1;
    const sc = lo < 0 ? { table: LUTS.puor, lo: -m, hi: m } : { table: LUTS.cividis, lo: 0, hi: hi || 1 };
    const key = legend(sc.table), stats = statsLine();
    box.append(el('div', { class: 'p2p-controls' }, [
      el('div', { class: 'p2p-field' }, [field('window', size), sizeOut]),
      el('div', { class: 'p2p-field' }, [field('stride', stride), strideOut]),
      el('fieldset', { class: 'p2p-radios' }, [el('legend', { text: 'mode' }), ...radios])]),
    el('div', { class: 'p2p-maps' }, [input.box, output.box]), key.box, stats);
    paint(input.canvas, map, h, w, sc.table, sc.lo, sc.hi);
    key.set(fmt(sc.lo), sc.lo < 0 ? '0' : '', fmt(sc.hi));

    function update() {
      size.value = state.size;
      stride.value = state.stride;
      modes[state.mode].checked = true;
      sizeOut.textContent = `${state.size}×${state.size}`;
      strideOut.textContent = String(state.stride);
      const out = (state.mode === 'max' ? maxPool2d : avgPool2d)(map, h, w, state.size, state.stride);
      const [a, b] = minMax(out.data), kept = Math.round((100 * out.data.length) / map.length);
      state.output = out;
      paint(output.canvas, out.data, out.h, out.w, sc.table, sc.lo, sc.hi);
      output.describe(`${state.mode} pool ${state.size}×${state.size}, stride ${state.stride}: ${out.h}×${out.w} (${kept}% of the values)`);
      stats.textContent = `${h}×${w} → ${out.h}×${out.w}; pooled values from ${fmt(a, 3)} to ${fmt(b, 3)}`;
      Object.assign(stats.dataset, { min: a, max: b });
    }
    const api = { state, update };
    return api;
  }

  // ---- widget: softmax explorer ----

  function softmaxExplorer(box, cfg) {
    const classes = cfg.classes || ['cat', 'dog', 'bird', 'fish'];
    if (classes.length < 2 || classes.length > 10) throw new Error('pass between 2 and 10 classes');
    const logits = (cfg.logits || [2, 1, 0.1, -1].slice(0, classes.length)).slice();
    while (logits.length < classes.length) logits.push(0);
    const state = { logits, temperature: cfg.temperature || 1, probabilities: null };
    const { logit_min: lmin = -5, logit_max: lmax = 5, logit_step: lstep = 0.1 } = cfg;
    const sliders = [], outs = [], bars = [], pcts = [], rows = [];
    const controls = classes.map((name, i) => {
      sliders[i] = slider(lmin, lmax, lstep, logits[i], () => { state.logits[i] = +sliders[i].value; api.update(); });
      outs[i] = el('output');
      return el('div', { class: 'p2p-field' }, [field(`score for ${name}`, sliders[i]), outs[i]]);
    });
    const temp = slider(-1, 1, 0.05, Math.log10(state.temperature), () => { state.temperature = 10 ** +temp.value; api.update(); });
    const tempOut = el('output');
    const list = el('ul', { class: 'p2p-bars', 'aria-label': 'probabilities' }, classes.map((name, i) => {
      bars[i] = el('span', { class: 'p2p-bar' });
      pcts[i] = el('span', { class: 'p2p-pct' });
      return (rows[i] = el('li', {}, [el('span', { class: 'p2p-bar-name', text: name }),
        el('span', { class: 'p2p-bar-track', 'aria-hidden': 'true' }, [bars[i]]), pcts[i]]));
    }));
    const stats = statsLine();
    box.append(el('div', { class: 'p2p-controls p2p-column' },
      [...controls, el('div', { class: 'p2p-field' }, [field('temperature', temp), tempOut])]), list, stats);

    function update() {
      const p = softmax(state.logits, state.temperature), T = fmt(state.temperature);
      const best = p.indexOf(Math.max(...p));
      state.probabilities = p;
      classes.forEach((name, i) => {
        if (sliders[i] !== document.activeElement) sliders[i].value = state.logits[i];
        outs[i].textContent = fmt(state.logits[i]);
        bars[i].style.width = `${(100 * p[i]).toFixed(2)}%`;
        pcts[i].textContent = `${fmt(100 * p[i], 1)}%${i === best ? ' (prediction)' : ''}`;
        pcts[i].dataset.p = p[i];
        rows[i].className = i === best ? 'p2p-best' : '';
      });
      temp.value = Math.log10(state.temperature);
      temp.setAttribute('aria-valuetext', T);
      tempOut.textContent = T;
      stats.textContent = `softmax at temperature ${T}: prediction ${classes[best]} (${fmt(100 * p[best], 1)}%)`;
    }
    const api = { state, update };
    return api;
  }

  // ---- mounting ----

  const WIDGETS = { 'kernel-editor': kernelEditor, 'conv-stepper': convStepper,
    'pooling-explorer': poolingExplorer, 'softmax-explorer': softmaxExplorer };

  /** Build one div.p2p-live's widget; on any error remove it, keep the snapshot, log why. */
  function mount(root) {
    if (root.dataset.p2pStatus) return root.p2p;
    const name = root.getAttribute('data-widget');
    let box = null;
    try {
      if (!WIDGETS[name]) throw new Error(`no widget called "${name}"`);
      const script = root.querySelector('script.p2p-config');
      const cfg = script ? JSON.parse(script.textContent) : {};
      box = el('div', { class: `p2p-widget p2p-${name}`, role: 'group', 'aria-label': `interactive ${name.replace(/-/g, ' ')}` });
      root.append(box);
      const api = WIDGETS[name](box, cfg, root), render = api.update;
      api.update = () => {
        const t0 = performance.now();
        render();
        root.dataset.lastUpdateMs = (performance.now() - t0).toFixed(3);
      };
      api.update();
      root.querySelectorAll('img, .p2p-fallback').forEach((n) => {
        if (!box.contains(n)) { n.hidden = true; n.style.display = 'none'; }
      });
      root.p2p = api;
      root.dataset.p2pStatus = 'ready';
      return api;
    } catch (err) {
      if (box) box.remove();
      root.dataset.p2pStatus = 'failed';
      console.error(`p2p-widgets: the "${name}" widget could not start, so its snapshot stays. ${err}`);
      return null;
    }
  }

  const init = (scope = document) => scope.querySelectorAll('div.p2p-live[data-widget]').forEach(mount);

  window.P2P = { conv2d, relu, maxPool2d, avgPool2d, softmax, samePadding, gaussianKernel, circleKernel,
    KERNELS, decodeFloats, base64Bytes, LUTS, fmt, widgets: WIDGETS, mount, init };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => init());
  else init();
})();

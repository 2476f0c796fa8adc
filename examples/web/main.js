// Trains a small MLP on two interleaved spirals, live, in the page: the data comes from tinyjax's
// `random`, the step is jit(valueAndGrad(loss)) followed by optax.adam, and the loss curve and the
// decision boundary are drawn as it goes. Served by `npm run demo:web`, which builds the bundle
// this imports. Query parameters: ?steps=1500&lr=0.01&seed=0&device=wasm.
//
// window.__demo exposes the run's state ({ status, step, losses, accuracy, device, ... }) for the
// Chromium test (test/runtimes.test.ts).
import {
  jnp, random, jit, valueAndGrad, optax, tree, init, defaultDevice, memoryStats,
} from "../../dist/tinyjax.min.js";

const query = new URLSearchParams(location.search);
const $ = (id) => document.getElementById(id);
const stepsInput = $("steps"), lrInput = $("lr");
if (query.has("steps")) stepsInput.value = query.get("steps");
if (query.has("lr")) lrInput.value = query.get("lr");

const demo = (window.__demo = {
  status: "loading", step: 0, totalSteps: 0, losses: [], accuracy: null, device: null, variant: null,
  backends: [], webgpu: null, msPerStep: null, error: null, run: 0,
});

// ------------------------------------------------------------------ data and model
const N_PER_CLASS = 128, HIDDEN = 32, TURNS = 2, NOISE = 0.06;

/** Two spirals, one per class, made with tinyjax's PRNG so every backend sees the same points. */
async function makeSpirals(seed) {
  const [kt, kn] = random.split(random.key(seed));
  const n = N_PER_CLASS;
  const t = jnp.sqrt(random.uniform(kt, [2 * n], { minval: 0.05, maxval: 1 }));
  const y = jnp.concatenate([jnp.zeros([n]), jnp.ones([n])]);
  const theta = t.mul(TURNS * 2 * Math.PI).add(y.mul(Math.PI));
  const x = jnp.stack([t.mul(jnp.cos(theta)), t.mul(jnp.sin(theta))], { axis: 1 })
    .add(random.normal(kn, [2 * n, 2]).mul(NOISE));
  // Reads are asynchronous: WebGPU has no synchronous read.
  return { x, y, hostX: await x.data(), hostY: await y.data() };
}

function initParams(seed) {
  const [k1, k2, k3] = random.split(random.key(seed + 1), 3);
  return {
    w1: random.normal(k1, [2, HIDDEN]).mul(Math.SQRT2), b1: jnp.zeros([HIDDEN]),
    w2: random.normal(k2, [HIDDEN, HIDDEN]).mul(1 / Math.sqrt(HIDDEN)), b2: jnp.zeros([HIDDEN]),
    w3: random.normal(k3, [HIDDEN]).mul(1 / Math.sqrt(HIDDEN)), b3: jnp.zeros([]),
  };
}

const logits = (p, x) =>
  jnp.tanh(jnp.tanh(x.matmul(p.w1).add(p.b1)).matmul(p.w2).add(p.b2)).matmul(p.w3).add(p.b3);

const loss = (p, x, y) => jnp.mean(optax.sigmoidBinaryCrossEntropy(logits(p, x), y));

const accuracyFn = (p, x, y) => jnp.mean(jnp.equal(logits(p, x).gt(0), y.gt(0.5)).astype("float32"));

// The decision boundary is drawn from the model's probabilities on a GRID x GRID lattice.
const GRID = 64, EXTENT = 1.25;
const probabilitiesFn = (p, g) => jnp.sigmoid(logits(p, g));

function gridPoints() {
  const pts = new Float32Array(GRID * GRID * 2);
  for (let i = 0; i < GRID; i++) {
    for (let j = 0; j < GRID; j++) {
      pts[2 * (i * GRID + j)] = -EXTENT + (2 * EXTENT * (j + 0.5)) / GRID;
      pts[2 * (i * GRID + j) + 1] = EXTENT - (2 * EXTENT * (i + 0.5)) / GRID;
    }
  }
  return jnp.array(pts, { shape: [GRID * GRID, 2] });
}

// ------------------------------------------------------------------ drawing
const field = $("field"), fieldCtx = field.getContext("2d");
const lossCanvas = $("loss"), lossCtx = lossCanvas.getContext("2d");
const heat = Object.assign(document.createElement("canvas"), { width: GRID, height: GRID });
const heatCtx = heat.getContext("2d");
const C0 = [240, 140, 58], C1 = [59, 111, 245];

function drawField(data, probs) {
  const { width: W, height: H } = field;
  fieldCtx.fillStyle = "#fff";
  fieldCtx.fillRect(0, 0, W, H);
  if (probs) {
    const img = heatCtx.createImageData(GRID, GRID);
    for (let k = 0; k < GRID * GRID; k++) {
      const q = probs[k];
      for (let c = 0; c < 3; c++) img.data[4 * k + c] = 255 - 0.32 * (255 - (C0[c] * (1 - q) + C1[c] * q));
      img.data[4 * k + 3] = 255;
    }
    heatCtx.putImageData(img, 0, 0);
    fieldCtx.imageSmoothingEnabled = true;
    fieldCtx.drawImage(heat, 0, 0, W, H);
  }
  const toPx = (v, size) => ((v + EXTENT) / (2 * EXTENT)) * size;
  for (let k = 0; k < data.hostY.length; k++) {
    const [r, g, b] = data.hostY[k] > 0.5 ? C1 : C0;
    fieldCtx.fillStyle = `rgb(${r},${g},${b})`;
    fieldCtx.beginPath();
    fieldCtx.arc(toPx(data.hostX[2 * k], W), H - toPx(data.hostX[2 * k + 1], H), 3.2, 0, 2 * Math.PI);
    fieldCtx.fill();
    fieldCtx.strokeStyle = "rgba(255,255,255,0.9)";
    fieldCtx.lineWidth = 1;
    fieldCtx.stroke();
  }
}

function drawLoss(losses, totalSteps) {
  const ctx = lossCtx, { width: W, height: H } = lossCanvas;
  const L = 56, R = 16, T = 16, B = 36;
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, W, H);
  const lo = -3, hi = 0.5; // log10 range of the y axis: 0.001 .. ~3
  const xPx = (s) => L + ((W - L - R) * s) / Math.max(1, totalSteps - 1);
  const yPx = (v) => T + ((H - T - B) * (hi - Math.min(hi, Math.max(lo, Math.log10(v))))) / (hi - lo);
  ctx.strokeStyle = "#e3e6ee";
  ctx.fillStyle = "#5d6678";
  ctx.font = "12px system-ui, sans-serif";
  ctx.lineWidth = 1;
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (let e = lo; e <= 0; e++) {
    const y = yPx(10 ** e);
    ctx.beginPath(); ctx.moveTo(L, y); ctx.lineTo(W - R, y); ctx.stroke();
    ctx.fillText(String(10 ** e), L - 6, y);
  }
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  for (let k = 0; k <= 5; k++) {
    const s = Math.round(((totalSteps - 1) * k) / 5);
    ctx.fillText(String(s), xPx(s), H - B + 8);
  }
  ctx.fillText("step", (L + W - R) / 2, H - 16);
  ctx.strokeStyle = "#9aa1af";
  ctx.beginPath(); ctx.moveTo(L, T); ctx.lineTo(L, H - B); ctx.lineTo(W - R, H - B); ctx.stroke();
  if (!losses.length) return;
  ctx.strokeStyle = "#3b6ff5";
  ctx.lineWidth = 2;
  ctx.beginPath();
  losses.forEach((v, s) => (s ? ctx.lineTo(xPx(s), yPx(v)) : ctx.moveTo(xPx(s), yPx(v))));
  ctx.stroke();
  const last = losses[losses.length - 1];
  ctx.fillStyle = "#1d2433";
  ctx.textAlign = "right";
  ctx.fillText(`loss ${last.toFixed(4)}`, W - R - 4, T + 4);
}

// ------------------------------------------------------------------ training
const yieldToBrowser = () => new Promise((r) => requestAnimationFrame(() => r()));
const wasmLabel = { scalar: "scalar", relaxed: "relaxed SIMD", "relaxed-threads": "relaxed SIMD" }[memoryStats().wasmVariant] ?? "SIMD";
const label = (d) => (d === "webgpu" ? "WebGPU" : `Wasm (${wasmLabel})`);

function dispose(t) {
  for (const leaf of tree.leaves(t)) leaf.dispose?.();
}

const MAX_STEPS_PER_FRAME = 25;

async function train(device) {
  const run = ++demo.run;
  const current = () => run === demo.run;
  const totalSteps = Math.max(1, Math.round(Number(stepsInput.value) || 1500));
  const lr = Number(lrInput.value) || 0.01;
  const seed = Number(query.get("seed") ?? 0);
  defaultDevice(device);
  const losses = [];
  Object.assign(demo, { status: "training", step: 0, totalSteps, losses, accuracy: null, device, error: null, msPerStep: null });
  $("device").textContent = label(device);

  const data = await makeSpirals(seed);
  const grid = gridPoints();
  const opt = optax.adam(lr);
  // The jitted functions are made per run, so each device compiles its own programs.
  const accuracy = jit(accuracyFn), probabilities = jit(probabilitiesFn);
  // One jitted program does the whole step: loss, gradient, Adam update.
  const step = jit((p, s, x, y) => {
    const [l, g] = valueAndGrad(loss)(p, x, y);
    const [updates, s2] = opt.update(g, s, p);
    return [l, optax.applyUpdates(p, updates), s2];
  });
  let params = initParams(seed);
  let state = opt.init(params);
  let probs = null, steps = 0;
  const t0 = performance.now();
  try {
    while (steps < totalSteps) {
      // Queue steps for ~12 ms (at most MAX_STEPS_PER_FRAME), then read their losses and draw.
      const frameEnd = performance.now() + 12, pending = [];
      do {
        const [l, p2, s2] = step(params, state, data.x, data.y);
        dispose([params, state]);
        params = p2; state = s2;
        pending.push(l);
        steps++;
      } while (steps < totalSteps && pending.length < MAX_STEPS_PER_FRAME && performance.now() < frameEnd);
      for (const l of pending) {
        losses.push((await l.data())[0]);
        l.dispose();
      }
      if (steps % 5 === 0 || steps === totalSteps || !probs) {
        const pr = probabilities(params, grid);
        probs = await pr.data();
        pr.dispose();
      }
      const accArray = accuracy(params, data.x, data.y);
      const acc = (await accArray.data())[0];
      accArray.dispose();
      if (!current()) return; // restarted while this run awaited
      Object.assign(demo, { step: steps, accuracy: acc, msPerStep: (performance.now() - t0) / steps });
      drawField(data, probs);
      drawLoss(losses, totalSteps);
      $("status").textContent = `step ${steps}/${totalSteps} · loss ${losses.at(-1).toFixed(4)} · ` +
        `accuracy ${(100 * acc).toFixed(1)}% · ${demo.msPerStep.toFixed(2)} ms/step · ${label(device)}`;
      await yieldToBrowser();
      if (!current()) return;
    }
    demo.status = "done";
    $("status").textContent += " · done";
  } catch (e) {
    if (!current()) return;
    demo.status = "error";
    demo.error = String(e && e.stack || e);
    $("status").textContent = `error: ${e}`;
    throw e;
  } finally {
    dispose([params, state, data.x, data.y, grid]);
  }
}

// ------------------------------------------------------------------ backends and controls
async function setupBackends() {
  demo.backends = await init();
  demo.variant = memoryStats().wasmVariant;
  $("wasm-variant").textContent = `(${wasmLabel})`;
  const hasNavigatorGpu = typeof navigator !== "undefined" && "gpu" in navigator;
  const webgpu = demo.backends.includes("webgpu");
  demo.webgpu = { navigatorGpu: hasNavigatorGpu, backend: webgpu };
  if (webgpu) $("webgpu-note").textContent = "";
  const radio = document.querySelector('input[value="webgpu"]');
  radio.disabled = !webgpu;
  $("webgpu-label").classList.toggle("disabled", !webgpu);
  $("webgpu-note").textContent = webgpu ? "" : hasNavigatorGpu
    ? "(navigator.gpu found; tinyjax's WebGPU backend is not in this build)"
    : "(this browser has no WebGPU)";
}

function selectedDevice() {
  return document.querySelector('input[name="device"]:checked').value;
}

document.querySelectorAll('input[name="device"]').forEach((r) => r.addEventListener("change", () => train(selectedDevice())));
$("restart").addEventListener("click", () => train(selectedDevice()));

try {
  await setupBackends();
  const wanted = query.get("device");
  if (wanted && demo.backends.includes(wanted)) document.querySelector(`input[value="${wanted}"]`).checked = true;
  drawLoss([], Number(stepsInput.value));
  await train(selectedDevice());
} catch (e) {
  demo.status = "error";
  demo.error = String(e && e.stack || e);
  $("status").textContent = `error: ${e}`;
}

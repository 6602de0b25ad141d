// Drives Spillway's Files and Batches API with the official openai npm client, unchanged but for
// base URL and key. Env: SPILLWAY_URL, SPILLWAY_KEY, CHAT_DEPLOYMENT.
// Prints one line per check and a closing "N passed, N failed"; exits 1 if any failed.
import { AzureOpenAI, OpenAI, toFile } from "openai";

const url = process.env.SPILLWAY_URL;
const apiKey = process.env.SPILLWAY_KEY;
const chat = process.env.CHAT_DEPLOYMENT;
const plain = new OpenAI({ baseURL: `${url}/v1`, apiKey });
const azure = new AzureOpenAI({ endpoint: url, apiKey, apiVersion: "2024-10-21" });

function jsonl(prefix, n, url = "/v1/chat/completions") {
  const lines = [];
  for (let i = 0; i < n; i++) {
    lines.push(JSON.stringify({ custom_id: `${prefix}-${i}`, method: "POST", url,
      body: { model: chat, max_tokens: 5, messages: [{ role: "user", content: `line ${i}` }] } }));
  }
  return lines.join("\n") + "\n";
}

async function until(client, id, done) {
  for (let i = 0; i < 120; i++) {
    const b = await client.batches.retrieve(id);
    if (done(b.status)) return b;
    await new Promise(r => setTimeout(r, 250));
  }
  throw new Error(`batch ${id} did not finish in 30 s`);
}

async function runBatch(client, prefix, endpoint) {
  const file = await client.files.create({ file: await toFile(Buffer.from(jsonl(prefix, 3, endpoint)), "in.jsonl"),
    purpose: "batch" });
  assert(file.id.startsWith("file-") && file.purpose === "batch" && file.bytes > 0, `bad file ${JSON.stringify(file)}`);
  const created = await client.batches.create({ input_file_id: file.id, endpoint, completion_window: "24h" });
  assert(created.status === "validating", `created as ${created.status}`);
  const done = await until(client, created.id, s => ["completed", "failed", "expired", "cancelled"].includes(s));
  assert(done.status === "completed", `ended ${done.status}: ${JSON.stringify(done.errors)}`);
  assert(done.request_counts.total === 3 && done.request_counts.completed === 3, JSON.stringify(done.request_counts));
  const text = await (await client.files.content(done.output_file_id)).text();
  const ids = text.trim().split("\n").map(l => JSON.parse(l)).map(l => {
    assert(l.response.status_code === 200 && l.response.body.choices.length > 0, `bad line ${JSON.stringify(l)}`);
    return l.custom_id;
  }).sort();
  assert(JSON.stringify(ids) === JSON.stringify([`${prefix}-0`, `${prefix}-1`, `${prefix}-2`]), `ids ${ids}`);
}

const checks = {
  async openAiBatchRunsToCompletion() {
    await runBatch(plain, "openai", "/v1/chat/completions");
  },
  async azureBatchRunsToCompletion() {
    await runBatch(azure, "azure", "/chat/completions");
  },
  async cancelStopsTheBatch() {
    const file = await plain.files.create({ file: await toFile(Buffer.from(jsonl("cancel", 40)), "c.jsonl"),
      purpose: "batch" });
    const created = await plain.batches.create({ input_file_id: file.id, endpoint: "/v1/chat/completions",
      completion_window: "24h" });
    const cancelling = await plain.batches.cancel(created.id);
    assert(["cancelling", "cancelled"].includes(cancelling.status), `cancel gave ${cancelling.status}`);
    const done = await until(plain, created.id, s => s === "cancelled");
    assert(done.request_counts.completed < 40, `all ${done.request_counts.completed} lines ran after cancel`);
  },
  async listsShowTheFilesAndBatches() {
    const batches = await plain.batches.list({ limit: 2 });
    assert(batches.data.length === 2 && batches.has_more, `batches page ${batches.data.length}`);
    const files = await plain.files.list({ purpose: "batch" });
    assert(files.data.length >= 3 && files.data.every(f => f.purpose === "batch"), "files list");
  },
};

function assert(ok, message) { if (!ok) throw new Error(message); }

let passed = 0, failed = 0;
for (const [name, check] of Object.entries(checks)) {
  try { await check(); passed++; console.log(`ok   ${name}`); }
  catch (e) { failed++; console.log(`FAIL ${name}: ${e.message}`); }
}
console.log(`openai-npm batch: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

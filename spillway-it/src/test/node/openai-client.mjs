// Drives Spillway with the official openai npm client, unchanged but for base URL and key.
// Env: SPILLWAY_URL, SPILLWAY_KEY, CHAT_DEPLOYMENT, EMBEDDING_DEPLOYMENT, TINY_DEPLOYMENT (a small quota);
// NODE_EXTRA_CA_CERTS for an https SPILLWAY_URL.
// Prints one line per check and a closing "N passed, N failed"; exits 1 if any failed.
import { AzureOpenAI, OpenAI, APIError } from "openai";

const url = process.env.SPILLWAY_URL;
const apiKey = process.env.SPILLWAY_KEY;
const chat = process.env.CHAT_DEPLOYMENT;
const azure = new AzureOpenAI({ endpoint: url, apiKey, apiVersion: "2024-10-21", deployment: chat });
const plain = new OpenAI({ baseURL: `${url}/v1`, apiKey });
const messages = [{ role: "user", content: "Say hello to the gateway." }];

const checks = {
  async azureChat() {
    const r = await azure.chat.completions.create({ model: chat, messages, max_tokens: 20 });
    assert(r.choices[0].message.content.length > 0, "empty content");
    assert(r.usage.completion_tokens > 0, "no usage");
  },
  async azureStreamedChat() {
    const stream = await azure.chat.completions.create({ model: chat, messages, max_tokens: 20, stream: true });
    let text = "", chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0]?.delta?.content ?? "";
    }
    assert(chunks > 2 && text.length > 0, `stream gave ${chunks} chunks, text '${text}'`);
  },
  async azureStreamedChatWithUsage() {
    const stream = await azure.chat.completions.create({
      model: chat, messages, max_tokens: 20, stream: true, stream_options: { include_usage: true } });
    let usage = null;
    for await (const chunk of stream) if (chunk.usage) usage = chunk.usage;
    assert(usage && usage.completion_tokens > 0, "no usage chunk");
  },
  async azureEmbedding() {
    const e = new AzureOpenAI({ endpoint: url, apiKey, apiVersion: "2024-10-21",
      deployment: process.env.EMBEDDING_DEPLOYMENT });
    const r = await e.embeddings.create({ model: process.env.EMBEDDING_DEPLOYMENT, input: ["alpha", "beta"] });
    assert(r.data.length === 2 && r.data[0].embedding.length > 0, "no vectors");
  },
  async openAiChatByModelAlias() {
    const r = await plain.chat.completions.create({ model: chat, messages, max_tokens: 10 });
    assert(r.choices[0].message.content.length > 0, "empty content");
  },
  async responsesCreate() {
    const r = await plain.responses.create({ model: chat, input: "Say hello to the gateway.", max_output_tokens: 20 });
    assert(r.output_text.length > 0, "no output_text");
    assert(r.usage.output_tokens > 0, "no usage");
  },
  async responsesStream() {
    const stream = await plain.responses.create({ model: chat, input: "Say hello.", max_output_tokens: 20, stream: true });
    const types = [];
    let usage = null;
    for await (const event of stream) {
      types.push(event.type);
      // max_output_tokens may cut the answer: then the last event is response.incomplete
      if (event.type === "response.completed" || event.type === "response.incomplete") usage = event.response.usage;
    }
    assert(types[0] === "response.created", `first event ${types[0]}`);
    assert(types.includes("response.output_text.delta"), "no text deltas");
    assert(usage && usage.output_tokens > 0, `no usage in the final event (events: ${types.join(",")})`);
  },
  async quotaExhaustionIs429WithRetryAfterMs() {
    const tiny = new AzureOpenAI({ endpoint: url, apiKey, apiVersion: "2024-10-21",
      deployment: process.env.TINY_DEPLOYMENT, maxRetries: 0 });
    for (let i = 0; i < 10; i++) {
      try {
        await tiny.chat.completions.create({ model: "x", messages, max_tokens: 400 });
      } catch (e) {
        assert(e instanceof APIError && e.status === 429, `expected 429, got ${e.status ?? e}`);
        assert(Number(e.headers.get("retry-after-ms")) > 0, "no retry-after-ms");
        return;
      }
    }
    throw new Error("no 429 after 10 requests");
  },
};

function assert(ok, message) { if (!ok) throw new Error(message); }

let passed = 0, failed = 0;
for (const [name, check] of Object.entries(checks)) {
  const started = Date.now();
  try { await check(); passed++; console.log(`ok   ${name} (${Date.now() - started} ms)`); }
  catch (e) { failed++; console.log(`FAIL ${name}: ${e.message}`); }
}
console.log(`openai-npm: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

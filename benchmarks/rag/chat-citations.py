#!/usr/bin/env python3
"""Asks a running chat app (spillway up) every question of a ground-truth JSONL through /api/chat,
as the browser does, and reports how often the answer cites a page the truth cites and how often
such a page is among the first three sources. Standard library only.

  benchmarks/rag/chat-citations.py --url http://127.0.0.1:8090 --password "$(cat data/demo.password)" \
      ../shared/rag-eval/azure-demo/ground_truth.jsonl [--verbose]
"""
import argparse, http.cookiejar, json, re, sys, urllib.request

CITATION = re.compile(r"\[([^\[\]\n]{1,300})]")


def norm(c):
    return re.sub(r"\s+", "", c).lower()


def citations(text):
    out = set()
    for m in CITATION.finditer(text):
        for part in re.split(r"[,;]", m.group(1)):
            c = norm(part)
            if "." in c.split("#")[0]:
                out.add(c)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("truth")
    ap.add_argument("--url", default="http://127.0.0.1:8090")
    ap.add_argument("--user", default="demo")
    ap.add_argument("--password", required=True)
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args()
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def call(path, body=None, csrf=None):
        req = urllib.request.Request(a.url + path, data=None if body is None else json.dumps(body).encode(),
                                     headers={"content-type": "application/json", "origin": a.url})
        if csrf:
            req.add_header("x-csrf-token", csrf)
        return opener.open(req, timeout=120)

    token = json.load(call("/auth/options"))["csrf"]
    csrf = json.load(call("/auth/login", {"username": a.user, "password": a.password}, token))["csrf"]
    cases = [json.loads(l) for l in open(a.truth) if l.strip()]
    cited_ok = top3_ok = 0
    for c in cases:
        final = None
        for line in call("/api/chat", {"question": c["question"]}, csrf):
            event = json.loads(line)
            if event.get("type") in ("answer", "error"):
                final = event
        truth = citations(c["truth"])
        if final is None or final["type"] == "error":
            print("ERROR", c["question"], final, file=sys.stderr)
            continue
        answer_ok = bool(citations(final["text"]) & truth)
        sources = [norm(s["citation"]) for s in final["details"]["sources"][:3]]
        in_top3 = any(s in truth for s in sources)
        cited_ok += answer_ok
        top3_ok += in_top3
        if a.verbose:
            print(f"{c['question']} | cited={answer_ok} top3={in_top3} query={final['details']['query']!r}")
            print(f"  truth {sorted(truth)} sources {sources}")
    n = len(cases)
    print(f"questions            {n}")
    print(f"answer cites a truth page   {cited_ok / n:.3f}")
    print(f"truth page in top 3 sources {top3_ok / n:.3f}")


if __name__ == "__main__":
    main()

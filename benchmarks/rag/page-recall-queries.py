#!/usr/bin/env python3
"""Writes the input of dev.spillway.retrieval.bench.PageRecall from a ground-truth JSONL: one line
per question, `question TAB query TAB truth-citations`, where the query is what the simulator's
extractive mode answers the chat flow's rewrite step (the question's content words, each once;
spillway-simulator QueryRewriter). With --split, a question in two parts joined by "and" + a
question word is also searched as its two parts (`part1 || part2`, the names of the first part
carried into the second). Standard library only.

  benchmarks/rag/page-recall-queries.py ../shared/rag-eval/azure-demo/ground_truth.jsonl > data/queries.tsv
"""
import json, re, sys

STOP = set("a an and are as at be by can do does did for from has have how i in is it its me my of on or our so "
           "that the their there this to was we what when where which who why will with you your about tell please".split())
ASKING = set("much many any if not am were been should would could than then also get need know else more they them "
             "these those he she his her one ones us some often question".split())
REFERRING = set("it its this that these those they them their there one ones else also more same he she his her".split())
SPLIT = re.compile(r",?\s+and\s+(?=(?:what|how|which|where|when|who|why|are|is|does|do|can)\b)", re.I)


def keywords(text):
    text = re.sub(r"\[[^\[\]]*]|<<[^<>]*>>", " ", text)
    seen = {}
    for w in re.split(r"[^A-Za-z0-9]+", text):
        lower = w.lower()
        if len(w) >= 2 and lower not in STOP and lower not in ASKING and lower not in REFERRING:
            seen.setdefault(lower, w)
    return list(seen.values())


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    split = "--split" in sys.argv
    for line in open(args[0], encoding="utf-8"):
        case = json.loads(line)
        question = case["question"]
        queries = [" ".join(keywords(question))]
        parts = SPLIT.split(question)
        if split and len(parts) > 1:
            names = [w for w in keywords(parts[0]) if w[0].isupper()]
            queries = [" ".join(keywords(parts[0]))] + [" ".join(dict.fromkeys(names + keywords(p))) for p in parts[1:]]
        truth = re.findall(r"\[([^\]]+)\]", case["truth"])
        print(question + "\t" + " || ".join(queries) + "\t" + " ".join(truth))


if __name__ == "__main__":
    main()

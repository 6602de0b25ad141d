package dev.spillway.retrieval;

/** Text (BM25), vector (HNSW) or hybrid (both, fused by reciprocal rank). */
public enum SearchMode { TEXT, VECTOR, HYBRID }

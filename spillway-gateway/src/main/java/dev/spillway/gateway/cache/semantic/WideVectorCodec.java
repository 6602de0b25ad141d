package dev.spillway.gateway.cache.semantic;

import java.io.IOException;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.FilterCodec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;

/**
 * Lucene's default codec with room for vectors of up to {@value #MAX_DIMENSIONS} dimensions:
 * its vector format accepts at most 1,024, fewer than an embeddings deployment gives
 * (text-embedding-3-small 1,536, -large 3,072). The vectors are written and read by the default
 * format itself, under its own name, so segments stay the default codec's. Stateless.
 */
final class WideVectorCodec extends FilterCodec {
    static final int MAX_DIMENSIONS = 4096;
    private final KnnVectorsFormat vectors;

    WideVectorCodec() {
        super(Codec.getDefault().getName(), Codec.getDefault());
        KnnVectorsFormat perField = delegate.knnVectorsFormat();
        vectors = new PerFieldKnnVectorsFormat() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                KnnVectorsFormat standard = perField instanceof PerFieldKnnVectorsFormat p
                        ? p.getKnnVectorsFormatForField(field) : perField;
                return new Wide(standard);
            }
        };
    }

    @Override
    public KnnVectorsFormat knnVectorsFormat() {
        return vectors;
    }

    /** The standard format under its own name, with the higher bound. */
    private static final class Wide extends KnnVectorsFormat {
        private final KnnVectorsFormat standard;

        Wide(KnnVectorsFormat standard) {
            super(standard.getName());
            this.standard = standard;
        }

        @Override
        public KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
            return standard.fieldsWriter(state);
        }

        @Override
        public KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
            return standard.fieldsReader(state);
        }

        @Override
        public int getMaxDimensions(String field) {
            return MAX_DIMENSIONS;
        }
    }
}

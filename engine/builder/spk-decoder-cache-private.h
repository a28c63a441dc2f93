/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-decoder-cache-private.h — the decoder cache's side for the builder:
 * the key of a solve and the look-up and store around it. */
#pragma once

#include "builder/spk-decoder-cache.h"

G_BEGIN_DECLS

/* For the builder.  A key is built from every input of a solve, in order,
 * then finished into a hex digest. */
typedef struct _SpkDecoderKey SpkDecoderKey;

SpkDecoderKey *_spk_decoder_key_new         (void);
void           _spk_decoder_key_add_uint    (SpkDecoderKey *key,
                                             guint64        value);
void           _spk_decoder_key_add_doubles (SpkDecoderKey *key,
                                             const double  *values,
                                             gsize          n);
void           _spk_decoder_key_add_bytes   (SpkDecoderKey *key,
                                             const void    *data,
                                             gsize          size);
/* (transfer full) The 64-character key; frees key. */
char          *_spk_decoder_key_finish      (SpkDecoderKey *key);

/* Fills decoders (n × k) and rmse (k) from the entry of key, when the
 * cache is on and holds one of that shape. */
gboolean  _spk_decoder_cache_lookup (const char   *key,
                                     gsize         n,
                                     gsize         k,
                                     double       *decoders,
                                     double       *rmse);
/* Keeps a solve's result under key (in memory and on disk). */
void      _spk_decoder_cache_store  (const char   *key,
                                     gsize         n,
                                     gsize         k,
                                     const double *decoders,
                                     const double *rmse);

G_END_DECLS

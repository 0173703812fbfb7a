import type { JsonObject, Referral } from '@messaging';
import { ownField, readObject, readString, toId } from './json-values';

/**
 * A `referral` object, found on ad-started messages, postbacks and
 * `messaging_referral` events, with every field Meta documents: `ref`,
 * `source`, `type`, `ad_id`, `ads_context_data` and, from a shop, `product`.
 */
export function parseReferral(referral: JsonObject): Referral {
  const product = readObject(referral, 'product');
  return {
    ref: readString(referral, 'ref'),
    source: readString(referral, 'source'),
    type: readString(referral, 'type'),
    adId: toId(ownField(referral, 'ad_id')),
    adsContextData: readObject(referral, 'ads_context_data'),
    productId: product === null ? null : toId(ownField(product, 'id')),
  };
}

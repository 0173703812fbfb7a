import type { JsonObject, Referral } from './instagram-event';
import { ownField, readObject, readString, toId } from './json-values';

/** A `referral` object, found on ad-started messages, postbacks and `messaging_referral` events. */
export function parseReferral(referral: JsonObject): Referral {
  return {
    ref: readString(referral, 'ref'),
    source: readString(referral, 'source'),
    type: readString(referral, 'type'),
    adId: toId(ownField(referral, 'ad_id')),
    adsContextData: readObject(referral, 'ads_context_data'),
  };
}

import { mediaLinkExpiresAt } from './media-link-expiry';

describe('mediaLinkExpiresAt', () => {
  it('reads the expiry a scontent link carries in `oe` (epoch seconds, hex)', () => {
    expect(mediaLinkExpiresAt('https://scontent.cdninstagram.com/v/photo.jpg?oe=6A1B2C3D&oh=x')).toEqual(
      new Date(0x6a1b2c3d * 1000),
    );
  });

  it('says nothing for a link that gives no expiry, or is no link at all', () => {
    expect(mediaLinkExpiresAt('https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1&signature=s')).toBeNull();
    expect(mediaLinkExpiresAt('https://scontent.cdninstagram.com/v/photo.jpg?oe=not-hex')).toBeNull();
    expect(mediaLinkExpiresAt('not a url')).toBeNull();
    expect(mediaLinkExpiresAt(null)).toBeNull();
  });
});

// A lesson's video URL → the address of its embedded player. Only YouTube and Vimeo addresses
// of the exact shapes below are embedded; anything else (another host, a look-alike host, a
// javascript: URL, an odd path) gets null and the player shows a plain link instead. The
// players' origins are the only ones the CSP's frame-src allows (config/settings/base.py,
// LMS_VIDEO_EMBED_ORIGINS): keep the two lists in step.

export interface VideoEmbed {
  provider: "YouTube" | "Vimeo";
  src: string;
}

const YOUTUBE_HOSTS = new Set(["youtube.com", "www.youtube.com", "youtu.be"]);
const VIMEO_HOSTS = new Set(["vimeo.com", "player.vimeo.com"]);
const YOUTUBE_ID = /^[A-Za-z0-9_-]{11}$/;
const VIMEO_ID = /^[0-9]{1,12}$/;
const VIMEO_HASH = /^[0-9a-f]{1,20}$/; // an unlisted video's privacy hash

function youtube(url: URL): string | null {
  const path = url.pathname.split("/").slice(1); // "/embed/ID" → ["embed", "ID"]
  let id: string | null = null;
  if (url.hostname === "youtu.be" && path.length === 1) id = path[0]!;
  else if (url.hostname !== "youtu.be") {
    if (path.length === 1 && path[0] === "watch") id = url.searchParams.get("v");
    else if (path.length === 2 && (path[0] === "embed" || path[0] === "shorts")) id = path[1]!;
  }
  return id !== null && YOUTUBE_ID.test(id) ? `https://www.youtube-nocookie.com/embed/${id}` : null;
}

function vimeo(url: URL): string | null {
  const path = url.pathname.split("/").slice(1);
  let id: string | undefined;
  let hash: string | null | undefined;
  if (url.hostname === "player.vimeo.com") {
    if (path.length !== 2 || path[0] !== "video") return null;
    id = path[1];
    hash = url.searchParams.get("h");
  } else {
    if (path.length < 1 || path.length > 2) return null;
    id = path[0];
    hash = path[1];
  }
  if (id === undefined || !VIMEO_ID.test(id)) return null;
  if (hash !== null && hash !== undefined && !VIMEO_HASH.test(hash)) return null;
  return `https://player.vimeo.com/video/${id}${hash ? `?h=${hash}` : ""}`;
}

/** The embedded player for a lesson's video URL, or null when it is not one we embed. */
export function videoEmbed(videoUrl: string): VideoEmbed | null {
  let url: URL;
  try {
    url = new URL(videoUrl);
  } catch {
    return null;
  }
  // https only, on the default port, with no credentials: anything else is not a plain video link.
  if (url.protocol !== "https:" || url.port !== "" || url.username !== "" || url.password !== "") return null;
  if (YOUTUBE_HOSTS.has(url.hostname)) {
    const src = youtube(url);
    return src ? { provider: "YouTube", src } : null;
  }
  if (VIMEO_HOSTS.has(url.hostname)) {
    const src = vimeo(url);
    return src ? { provider: "Vimeo", src } : null;
  }
  return null;
}

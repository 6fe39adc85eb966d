import { describe, expect, it } from "vitest";
import { videoEmbed } from "./video";

describe("videoEmbed", () => {
  it.each([
    ["https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"],
    ["https://youtube.com/watch?v=dQw4w9WgXcQ&t=42s", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"],
    ["https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"],
    ["https://www.youtube.com/embed/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"],
    ["https://www.youtube.com/shorts/a_b-C1d2E3f", "https://www.youtube-nocookie.com/embed/a_b-C1d2E3f"],
    ["https://WWW.YouTube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"],
  ])("embeds the YouTube video %s from the no-cookie player", (url, src) => {
    expect(videoEmbed(url)).toEqual({ provider: "YouTube", src });
  });

  it.each([
    ["https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871"],
    ["https://vimeo.com/76979871/8272103f6e", "https://player.vimeo.com/video/76979871?h=8272103f6e"],
    ["https://player.vimeo.com/video/76979871", "https://player.vimeo.com/video/76979871"],
    ["https://player.vimeo.com/video/76979871?h=8272103f6e", "https://player.vimeo.com/video/76979871?h=8272103f6e"],
  ])("embeds the Vimeo video %s from Vimeo's player", (url, src) => {
    expect(videoEmbed(url)).toEqual({ provider: "Vimeo", src });
  });

  it.each([
    // not a URL, or not https
    "",
    "dQw4w9WgXcQ",
    "javascript:alert(1)//https://youtu.be/dQw4w9WgXcQ",
    "JavaScript:alert(document.domain)",
    "data:text/html,<script>alert(1)</script>",
    "http://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "//youtu.be/dQw4w9WgXcQ",
    // other hosts and look-alikes
    "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
    "https://evil.example/youtube.com/watch?v=dQw4w9WgXcQ",
    "https://notyoutube.com/watch?v=dQw4w9WgXcQ",
    "https://m.youtube.com.evil.example/embed/dQw4w9WgXcQ",
    "https://vimeo.com.evil.example/76979871",
    "https://evilvimeo.com/76979871",
    "https://youtube.com./watch?v=dQw4w9WgXcQ",
    "https://www.youtube.com@evil.example/watch?v=dQw4w9WgXcQ",
    "https://user:pass@www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://www.youtube.com:8443/watch?v=dQw4w9WgXcQ",
    // the right host, an id or path that is not a video's
    "https://www.youtube.com/watch?v=dQw4w9WgXc",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ%22onload%3D",
    "https://www.youtube.com/watch?v=../../evil",
    "https://www.youtube.com/watch",
    "https://www.youtube.com/embed/dQw4w9WgXcQ/../../evil",
    "https://www.youtube.com/channel/UCdQw4w9WgXcQ",
    "https://youtu.be/watch?v=dQw4w9WgXcQ",
    "https://vimeo.com/channels/staffpicks",
    "https://vimeo.com/76979871/not-a-hash",
    "https://player.vimeo.com/video/76979871?h=\"><script>",
    "https://player.vimeo.com/76979871",
  ])("gives no embed for %s (it stays a link)", (url) => {
    expect(videoEmbed(url)).toBeNull();
  });
});

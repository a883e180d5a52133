/** The few pages the server renders itself (the rest is the client app). */
export function signInFailedPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign-in link not valid · Plenary</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;background:#f4f6f9;color:#1b2533;margin:0}
main{max-width:34rem;margin:12vh auto;background:#fff;border:1px solid #d5dce6;border-radius:8px;padding:2rem 2.25rem}
h1{font-size:1.35rem;color:#1f3a5f;margin-top:0}p{line-height:1.55}
</style></head>
<body><main>
<h1>This sign-in link is not valid</h1>
<p>The invitation link may have been mistyped, or it has been revoked. Plenary is reached through the
personal link the secretariat sends to each participant.</p>
<p>Please ask the secretariat for a new link.</p>
</main></body></html>`
}

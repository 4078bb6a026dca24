"""The aiohttp web service: health, the JSON API (pages come with the link hand-off)."""

"""Page shells, reusable blocks, the theme renderer and the interface text (i18n)."""

"""The area report (/rapport/<code>): content from the Reader, SVG charts, and one HTML
document for both the page and the PDF."""

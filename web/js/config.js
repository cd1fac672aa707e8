// Where the API lives. Empty: the same origin that serves these pages (make run).
// When web/ is on another host, put the API's origin here, e.g. 'https://api.example.gov.cn',
// and list this site's origin in the API's Cms:CorsOrigins setting.
export const API_BASE = '';

// Items per column list page.
export const LIST_PAGE_SIZE = 20;

// Seconds between focus-carousel slides.
export const CAROUSEL_SECONDS = 6;

// Seconds a request to the API may take before the page says the service is not answering.
export const API_TIMEOUT_SECONDS = 6;

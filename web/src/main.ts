import { createApp } from 'vue'
import { createPinia } from 'pinia'
import 'vant/lib/index.css'
import './styles.css'
import App from './App.vue'
import { configureClient } from './api/client'
import { applyLocale, currentLocale, i18n } from './i18n'
import { router } from './router'
import { useSessionStore } from './stores/session'
import { useIssuesStore } from './stores/issues'
import { registerServiceWorker } from './pwa'
import { startOffline } from './offline'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)
app.use(i18n)
app.use(router)
applyLocale()

const session = useSessionStore(pinia)
configureClient({
  locale: currentLocale,
  csrfToken: () => session.csrfToken,
  refreshCsrf: () => session.refreshCsrf(),
  unauthorized: () => {
    if (session.state !== 'authenticated') return
    session.expire()
    useIssuesStore(pinia).clear()
    const here = router.currentRoute.value
    if (!here.meta.public) void router.replace({ name: 'login', query: { redirect: here.fullPath, expired: '1' } })
  },
})

startOffline(pinia)
app.mount('#app')
registerServiceWorker()

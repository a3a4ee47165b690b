export function App() {
  return <h1>hi</h1>;
}

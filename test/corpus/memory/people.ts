// The responders of the memory evaluation set (invented names), each as a person and as the
// harness working for them, so the same failure is told by different people in different words.
import { type Writer, harness, person } from './build.js';

const p = (id: string, name: string): [Writer, Writer] => {
  const human = person(id, name);
  return [human, harness(human)];
};

export const [priya, priyaAI] = p('u-priya', 'Priya Raman');
export const [tomas, tomasAI] = p('u-tomas', 'Tomás Ferreira');
export const [mei, meiAI] = p('u-mei', 'Mei Lin');
export const [jonas, jonasAI] = p('u-jonas', 'Jonas Weber');
export const [aisha, aishaAI] = p('u-aisha', 'Aisha Bello');
export const [dmitri, dmitriAI] = p('u-dmitri', 'Dmitri Volkov');
export const [sofia, sofiaAI] = p('u-sofia', 'Sofía García');
export const [kenji, kenjiAI] = p('u-kenji', 'Kenji Watanabe');
export const [fatima, fatimaAI] = p('u-fatima', 'Fatima Noor');
export const [liam, liamAI] = p('u-liam', "Liam O'Connor");
export const [grace, graceAI] = p('u-grace', 'Grace Mensah');
export const [ravi, raviAI] = p('u-ravi', 'Ravi Kulkarni');
export const [elena, elenaAI] = p('u-elena', 'Elena Petrova');
export const [marcus, marcusAI] = p('u-marcus', 'Marcus Johnson');
export const [hana, hanaAI] = p('u-hana', 'Hana Sato');
export const [seun, seunAI] = p('u-seun', 'Oluwaseun Adeyemi');
